Attribute VB_Name = "CchcText"
' What the buttons say, and the plain string work around starting Python. No Excel or
' Windows object is used here, so the tests run this module in LibreOffice Basic.
'
' The messages are written in Vietnamese below. VBA stores module source in the project's
' code page (1252), which has no Vietnamese letters, so the build (cchc/vba/text.py) turns
' every string literal holding them into CchcU("...") with \uXXXX escapes, and CchcU turns
' them back at run time. Comments and names stay ASCII.
Option Explicit

' Why Python could not run a button (CchcMsgNoPython).
Public Const CCHC_NOT_FOUND As Long = 1
Public Const CCHC_CANNOT_START As Long = 2
Public Const CCHC_MISSING_MODULE As Long = 3

' The line cchc.excel writes to stderr when it cannot show a message itself
' (cchc/vba/text.py, MESSAGE_PREFIX).
Public Const CCHC_MESSAGE_PREFIX As String = "CCHC-MSG:"

Public Function CchcU(ByVal s As String) As String
    ' \uXXXX (a UTF-16 code unit in 4 hex digits) back to its character.
    Dim i As Long, result As String
    i = InStr(1, s, "\u")
    Do While i > 0
        result = result & Left$(s, i - 1) & ChrW$(CLng("&H" & Mid$(s, i + 2, 4)) And &HFFFF&)
        s = Mid$(s, i + 6)
        i = InStr(1, s, "\u")
    Loop
    CchcU = result & s
End Function

Public Function CchcTitle() As String
    CchcTitle = "Báo cáo CCHC"
End Function

Public Function CchcAction(ByVal buttonName As String) As String
    ' The button's label with a lower-case first letter, as cchc.excel names the action.
    CchcAction = LCase$(Left$(buttonName, 1)) & Mid$(buttonName, 2)
End Function

' --------------------------------------------------------------------------- messages

Public Function CchcMsgNoWorkbook(ByVal action As String) As String
    ' Same text as cchc.excel.no_workbook_message.
    CchcMsgNoWorkbook = "Chưa có biểu mẫu nào đang mở để " & action & "." & vbLf & vbLf & _
        "Hãy mở biểu mẫu báo cáo CCHC của xã (tệp .xlsx hoặc .xlsm), bấm vào một ô của biểu mẫu rồi bấm lại nút."
End Function

Public Function CchcMsgNoPython(ByVal reason As Long, ByVal buttonName As String, ByVal detail As String, _
                                ByVal portal As String, ByVal district As Boolean) As String
    ' Python is missing, cannot be started, or lacks cchc/xlwings: the three ways forward
    ' (docs/excel-setup.md, section "Khi may khong co Python", shows the same text).
    Dim head As String
    Select Case reason
        Case CCHC_CANNOT_START
            head = "Nút «" & buttonName & "» cần Python, nhưng Excel không khởi động được Python. " & _
                   "Thường là do Microsoft Defender chặn Excel mở chương trình khác."
        Case CCHC_MISSING_MODULE
            head = "Nút «" & buttonName & "» cần Python, nhưng Python trên máy này chưa có chương trình cchc " & _
                   "hoặc thư viện xlwings."
        Case Else
            head = "Nút «" & buttonName & "» cần Python, nhưng Excel không tìm thấy Python trên máy này."
    End Select
    If detail <> "" Then head = head & vbLf & detail
    CchcMsgNoPython = head & vbLf & vbLf & CchcThreeWays(portal, district)
End Function

Public Function CchcThreeWays(ByVal portal As String, ByVal district As Boolean) As String
    Dim third As String
    If district Then
        third = "3. Làm việc này bằng dòng lệnh cchc trên một máy đã cài Python (xem docs/tong-hop.md)."
    ElseIf portal <> "" Then
        third = "3. Không dùng nút lệnh: lưu tệp Excel này và nộp qua cổng tiếp nhận báo cáo của tỉnh: " & portal
    Else
        third = "3. Không dùng nút lệnh: lưu tệp Excel này và nộp qua cổng tiếp nhận báo cáo mà Sở Nội vụ đã thông báo."
    End If
    CchcThreeWays = "Có ba cách:" & vbLf & _
        "1. Cài Python và cchc theo mục «Cài đặt» của hướng dẫn «Dùng các nút lệnh trong Excel» " & _
        "(tệp docs/excel-setup.md), hoặc nhờ bộ phận công nghệ thông tin cài giúp, rồi bấm lại nút." & vbLf & _
        "2. Nếu máy đã cài Python mà vẫn gặp thông báo này: nhờ bộ phận công nghệ thông tin thêm ngoại lệ " & _
        "cho python.exe trong quy tắc «Block all Office applications from creating child processes» " & _
        "của Microsoft Defender." & vbLf & _
        third & vbLf & vbLf & _
        "Không có Python, biểu mẫu vẫn dùng được: Excel vẫn tự tính các ô tỷ lệ và vẫn báo ngay " & _
        "khi nhập giá trị sai kiểu (ví dụ chữ vào ô số). Chỉ các nút lệnh cần Python."
End Function

Public Function CchcDetailNotFound(ByVal interpreter As String) As String
    CchcDetailNotFound = "Không có tệp Python đã cấu hình: " & interpreter
End Function

Public Function CchcDetailCannotStart(ByVal errorNumber As Long) As String
    CchcDetailCannotStart = "Mã lỗi của Windows: " & CStr(errorNumber)
End Function

Public Function CchcDetailInterpreter(ByVal interpreter As String) As String
    CchcDetailInterpreter = "Python đang dùng: " & interpreter
End Function

Public Function CchcMsgUnexpected(ByVal buttonName As String, ByVal errorNumber As Long, _
                                  ByVal description As String) As String
    CchcMsgUnexpected = "Nút «" & buttonName & "» gặp lỗi không lường trước trong mã VBA (lỗi " & _
        CStr(errorNumber) & ": " & description & ")." & vbLf & vbLf & _
        "Hãy lưu tệp, đóng rồi mở lại Excel và bấm lại nút. Nếu lỗi lặp lại, gửi nội dung thông báo này cho cán bộ hỗ trợ."
End Function

Public Function CchcMsgPythonFailed(ByVal buttonName As String, ByVal logPath As String) As String
    Dim tail As String
    If logPath <> "" Then
        tail = "Chi tiết kỹ thuật đã ghi vào tệp:" & vbLf & logPath & vbLf & _
               "Hãy gửi tệp này cho cán bộ hỗ trợ nếu lỗi lặp lại."
    Else
        tail = "Hãy bấm lại nút; nếu lỗi lặp lại, báo cho cán bộ hỗ trợ."
    End If
    CchcMsgPythonFailed = "Nút «" & buttonName & "» chưa chạy xong: chương trình cchc dừng vì một lỗi." & _
        vbLf & vbLf & tail
End Function

' --------------------------------------------------------------------------- Python's output

Public Function CchcMessageFromPython(ByVal stderrText As String) As String
    ' The message cchc.excel wrote for the officer when it could not show it itself, or "".
    Dim lines() As String, i As Long
    lines = Split(Replace(stderrText, vbCr, ""), vbLf)
    For i = LBound(lines) To UBound(lines)
        If Left$(lines(i), Len(CCHC_MESSAGE_PREFIX)) = CCHC_MESSAGE_PREFIX Then
            CchcMessageFromPython = CchcU(Mid$(lines(i), Len(CCHC_MESSAGE_PREFIX) + 1))
            Exit Function
        End If
    Next i
End Function

Public Function CchcMissingModule(ByVal stderrText As String) As String
    ' "cchc" or "xlwings" when Python stopped because it could not import it, else "".
    If InStr(1, stderrText, "No module named 'cchc", vbBinaryCompare) > 0 Then
        CchcMissingModule = "cchc"
    ElseIf InStr(1, stderrText, "No module named 'xlwings", vbBinaryCompare) > 0 Then
        CchcMissingModule = "xlwings"
    ElseIf InStr(1, stderrText, "No module named 'win32", vbBinaryCompare) > 0 Then
        CchcMissingModule = "xlwings"  ' pywin32 comes with xlwings on Windows
    End If
End Function

' --------------------------------------------------------------------------- starting Python

Public Function CchcConfigValue(ByVal content As String, ByVal key As String) As String
    ' A value of an xlwings.conf file, whose lines are "KEY","VALUE" (as VBA's Write # and
    ' cchc excel-setup write them); keys compare without case, as in xlwings' GetConfigFromFile.
    Dim lines() As String, i As Long, p As Long
    lines = Split(Replace(content, vbCr, ""), vbLf)
    For i = LBound(lines) To UBound(lines)
        p = InStr(1, lines(i), ",")
        If p > 0 Then
            If LCase$(CchcUnquote(Left$(lines(i), p - 1))) = LCase$(key) Then
                CchcConfigValue = CchcUnquote(Mid$(lines(i), p + 1))
                Exit Function
            End If
        End If
    Next i
End Function

Private Function CchcUnquote(ByVal s As String) As String
    s = Trim$(s)
    If Len(s) >= 2 Then
        If Left$(s, 1) = """" And Right$(s, 1) = """" Then s = Mid$(s, 2, Len(s) - 2)
    End If
    CchcUnquote = s
End Function

Public Function CchcIsAscii(ByVal s As String) As Boolean
    Dim i As Long
    For i = 1 To Len(s)
        If AscW(Mid$(s, i, 1)) < 0 Or AscW(Mid$(s, i, 1)) > 127 Then Exit Function
    Next i
    CchcIsAscii = True
End Function

Public Function CchcIsBareCommand(ByVal interpreter As String) As Boolean
    ' "python" and "pythonw" are looked up on the PATH, as xlwings' ExecuteWindows does.
    CchcIsBareCommand = (interpreter = "python" Or interpreter = "pythonw")
End Function

Public Function CchcParentFolder(ByVal path As String) As String
    CchcParentFolder = Left$(path, InStrRev(path, "\") - 1)
End Function

Public Function CchcPathCandidates(ByVal pathVariable As String, ByVal exeName As String) As String
    ' Where a bare command may be on the PATH, one file per line: <folder>\<exeName>.exe.
    Dim folders() As String, i As Long, folder As String, result As String
    folders = Split(pathVariable, ";")
    For i = LBound(folders) To UBound(folders)
        folder = Trim$(Replace(folders(i), """", ""))
        If folder <> "" Then
            If Right$(folder, 1) <> "\" Then folder = folder & "\"
            If result <> "" Then result = result & vbLf
            result = result & folder & exeName & ".exe"
        End If
    Next i
    CchcPathCandidates = result
End Function

Public Function CchcCommandLine(ByVal interpreter As String, ByVal pythonCommand As String, _
                                ByVal bookName As String, ByVal appFullName As String, _
                                ByVal hwnd As String, ByVal logPath As String, _
                                ByVal pythonPath As String) As String
    ' The command xlwings' ExecuteWindows (xlwings.bas) runs for RunPython, with our log:
    '   cmd.exe /C [C: & cd "<folder>" & ]"<python.exe>" -B -c "<code>" --wb="<book>"
    '   --from_xl=1 --app="<excel>" --hwnd="<hwnd>" 2> "<log>"
    ' xlwings.Book.caller() finds Excel and the workbook from the last four arguments. Unlike
    ' RunPython, the workbook's folder is not put on sys.path: cchc is an installed package,
    ' and a stray cchc.py or xlwings.py beside a downloaded workbook must not replace it.
    ' xlwings' PYTHONPATH setting, when there is one, is honoured the way RunPython does it.
    Dim drive As String, exe As String, code As String
    If CchcIsBareCommand(interpreter) Then
        exe = interpreter
    Else
        exe = """" & interpreter & """"
        If Left$(interpreter, 2) Like "[A-Za-z]:" Then
            drive = Left$(interpreter, 2) & " & cd """ & CchcParentFolder(interpreter) & """ & "
        ElseIf Left$(interpreter, 2) = "\\" Then
            drive = "pushd """ & CchcParentFolder(interpreter) & """ & "
        End If
    End If
    code = pythonCommand
    If pythonPath <> "" Then
        code = "import xlwings.utils;xlwings.utils.prepare_sys_path(\""false;;;;;;" & _
               Replace(Replace(pythonPath, "&", "^&"), "\", "\\") & "\""); " & code
    End If
    CchcCommandLine = "cmd.exe /C " & drive & exe & " -B -c """ & code & """ --wb=""" & bookName & _
        """ --from_xl=1 --app=""" & appFullName & """ --hwnd=""" & hwnd & """ 2> """ & logPath & """ "
End Function
