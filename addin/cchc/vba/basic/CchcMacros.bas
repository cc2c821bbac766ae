Attribute VB_Name = "CchcMacros"
' Buttons of the CCHC report workbook (ribbon tab, and the shapes on the first sheet).
'
' Each button hands over to Python through xlwings' RunPython: the checks, the colours,
' the report and every message the officer reads live in the cchc package
' (cchc.excel), so the command line and Excel share one core.
' Keep this file ASCII: VBA stores source text in the project's code page.
Option Explicit

Private Sub CchcRun(ByVal entry As String)
    RunPython "import cchc.excel; cchc.excel." & entry
End Sub

' --- Macros (assigned to the shapes on "Thong tin chung"; also in Alt+F8) ---

Public Sub CchcKiemTra()
    CchcRun "validate()"
End Sub

Public Sub CchcXoaDanhDau()
    CchcRun "clear()"
End Sub

Public Sub CchcBaoCaoWord()
    CchcRun "report()"
End Sub

Public Sub CchcBaoCaoPdf()
    CchcRun "pdf()"
End Sub

Public Sub CchcHuongDan()
    CchcRun "help()"
End Sub

' --- Ribbon callbacks (customUI onAction) ---

Public Sub CchcRibbonKiemTra(control As Object)
    CchcKiemTra
End Sub

Public Sub CchcRibbonXoaDanhDau(control As Object)
    CchcXoaDanhDau
End Sub

Public Sub CchcRibbonBaoCaoWord(control As Object)
    CchcBaoCaoWord
End Sub

Public Sub CchcRibbonBaoCaoPdf(control As Object)
    CchcBaoCaoPdf
End Sub

Public Sub CchcRibbonHuongDan(control As Object)
    CchcHuongDan
End Sub
