Attribute VB_Name = "CchcAddin"
' Extra buttons of the CCHC add-in (.xlam) for district and province staff.
' Like CchcMacros, every button runs Python through CchcRun; these two need no workbook
' open (the report buttons of the add-in work on the active workbook, which cchc.excel
' looks up itself).
Option Explicit

Public Sub CchcTaoBieuMau()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Tạo biểu mẫu trống"
    CchcRun "new_template()", buttonName, False, True
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcTongHop()
    Dim buttonName As String
    On Error GoTo Fail
    buttonName = "Tổng hợp nhiều xã"
    CchcRun "merge_folder()", buttonName, False, True
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcRibbonTaoBieuMau(control As Object)
    On Error GoTo Fail
    CchcTaoBieuMau
    Exit Sub
Fail:
    CchcUnexpected "Tạo biểu mẫu trống", Err.Number, Err.Description
End Sub

Public Sub CchcRibbonTongHop(control As Object)
    On Error GoTo Fail
    CchcTongHop
    Exit Sub
Fail:
    CchcUnexpected "Tổng hợp nhiều xã", Err.Number, Err.Description
End Sub
