Attribute VB_Name = "CchcMacros"
' Buttons of the CCHC report workbook (ribbon tab, and the shapes on the first sheet).
'
' Each button hands over to Python (CchcRun, module CchcPython): the checks, the colours,
' the report and the messages about them live in the cchc package (cchc.excel), so the
' command line and Excel share one core. Every public Sub has an error handler, so an
' unexpected VBA error ends in a Vietnamese message box, never in the VBA editor.
' Vietnamese text is written as is in string literals only (see CchcText).
Option Explicit

' --- Macros (assigned to the shapes on "Thong tin chung"; also in Alt+F8) ---

Public Sub CchcKiemTra()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Kiểm tra số liệu"
    CchcRun "validate()", buttonName, True, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcXoaDanhDau()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Xóa đánh dấu"
    CchcRun "clear()", buttonName, True, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcBaoCaoWord()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Tạo báo cáo Word"
    CchcRun "report()", buttonName, True, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcBaoCaoPdf()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Tạo báo cáo PDF"
    CchcRun "pdf()", buttonName, True, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcSoSanh()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "So sánh với kỳ trước"
    CchcRun "compare_report()", buttonName, True, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcHuongDan()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Hướng dẫn"
    CchcRun "help()", buttonName, False, False
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

' --- Ribbon callbacks (customUI onAction, getVisible) ---

Public Sub CchcRibbonKiemTra(control As Object)
    On Error GoTo Fail
    CchcKiemTra
    Exit Sub
Fail:
    CchcUnexpected "Kiểm tra số liệu", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonXoaDanhDau(control As Object)
    On Error GoTo Fail
    CchcXoaDanhDau
    Exit Sub
Fail:
    CchcUnexpected "Xóa đánh dấu", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonBaoCaoWord(control As Object)
    On Error GoTo Fail
    CchcBaoCaoWord
    Exit Sub
Fail:
    CchcUnexpected "Tạo báo cáo Word", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonBaoCaoPdf(control As Object)
    On Error GoTo Fail
    CchcBaoCaoPdf
    Exit Sub
Fail:
    CchcUnexpected "Tạo báo cáo PDF", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonSoSanh(control As Object)
    On Error GoTo Fail
    CchcSoSanh
    Exit Sub
Fail:
    CchcUnexpected "So sánh với kỳ trước", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonHuongDan(control As Object)
    On Error GoTo Fail
    CchcHuongDan
    Exit Sub
Fail:
    CchcUnexpected "Hướng dẫn", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonTabVisible(control As Object, ByRef visible)
    ' The workbook's tab is hidden while the add-in is open: the add-in's own tab has the same
    ' buttons, working on the active workbook, and Excel would show two "Bao cao CCHC" tabs.
    ' Excel asks when it loads the workbook's ribbon.
    On Error GoTo Fail
    visible = Not CchcAddinIsOpen()
    Exit Sub
Fail:
    visible = True
End Sub
