Attribute VB_Name = "CchcAddin"
' Extra buttons of the CCHC add-in (.xlam) for district and province staff.
' Like CchcMacros, every button runs Python through xlwings' RunPython; the add-in
' works on the active workbook, which cchc.excel looks up itself.
' Keep this file ASCII: VBA stores source text in the project's code page.
Option Explicit

Public Sub CchcTaoBieuMau()
    RunPython "import cchc.excel; cchc.excel.new_template()"
End Sub

Public Sub CchcTongHop()
    RunPython "import cchc.excel; cchc.excel.merge_folder()"
End Sub

Public Sub CchcRibbonTaoBieuMau(control As Object)
    CchcTaoBieuMau
End Sub

Public Sub CchcRibbonTongHop(control As Object)
    CchcTongHop
End Sub
