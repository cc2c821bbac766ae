Attribute VB_Name = "CchcPython"
' Running a button's Python, in place of xlwings' RunPython.
'
' RunPython (xlwings.bas) cannot tell an officer what went wrong: it shows "Could not find
' Interpreter!" or Python's stderr in a technical popup, reads that stderr through the ANSI
' code page (Vietnamese arrives as "L\u1ed7i"), and builds its config and log paths with
' Environ(), which loses the Vietnamese letters of a Windows user name. CchcRun starts the
' same command line (xlwings.Book.caller() in Python works unchanged) but checks the
' interpreter first, keeps every path in Unicode (WScript.Shell, Scripting.FileSystemObject)
' and ends every failure in a Vietnamese message box (texts in CchcText).
Option Explicit

' The add-in's file name: while it is open, the workbook hides its own ribbon tab.
Public Const CCHC_ADDIN_FILE As String = "bao_cao_cchc.xlam"

' cmd.exe's exit code for "is not recognized as an internal or external command", which is
' also what the Microsoft Store's python.exe stub returns when Python is not installed.
Private Const CMD_NOT_FOUND As Long = 9009

Public Sub CchcRun(ByVal entry As String, ByVal buttonName As String, ByVal needsWorkbook As Boolean, _
                   ByVal district As Boolean)
    ' Run cchc.excel.<entry> for the button `buttonName`; every outcome the officer should know
    ' about ends in a message box.
    Dim interpreter As String, stderrText As String, message As String, logPath As String
    Dim exitCode As Long, startError As Long
    On Error GoTo Fail

    If needsWorkbook And ThisWorkbook.IsAddin Then
        If ActiveWorkbook Is Nothing Then
            CchcShow CchcMsgNoWorkbook(CchcAction(buttonName)), True
            Exit Sub
        End If
    End If

    interpreter = CchcInterpreter()
    If Not CchcInterpreterExists(interpreter) Then
        If CchcIsBareCommand(interpreter) Then
            message = CchcMsgNoPython(CCHC_NOT_FOUND, buttonName, "", CchcPortal(), district)
        Else
            message = CchcMsgNoPython(CCHC_NOT_FOUND, buttonName, CchcDetailNotFound(interpreter), CchcPortal(), district)
        End If
        CchcShow message, True
        Exit Sub
    End If

    On Error Resume Next
    exitCode = CchcStartPython(interpreter, "import cchc.excel; cchc.excel." & entry, stderrText)
    startError = Err.Number
    On Error GoTo Fail
    If startError <> 0 Then  ' Windows refused to start cmd.exe: typically Defender's ASR rule
        CchcShow CchcMsgNoPython(CCHC_CANNOT_START, buttonName, CchcDetailCannotStart(startError), _
                                 CchcPortal(), district), True
        Exit Sub
    End If

    If CchcMissingModule(stderrText) <> "" Then
        CchcShow CchcMsgNoPython(CCHC_MISSING_MODULE, buttonName, CchcDetailInterpreter(interpreter), _
                                 CchcPortal(), district), True
        Exit Sub
    End If
    message = CchcMessageFromPython(stderrText)
    If message <> "" Then
        CchcShow message, True
    ElseIf exitCode = CMD_NOT_FOUND Then
        CchcShow CchcMsgNoPython(CCHC_NOT_FOUND, buttonName, "", CchcPortal(), district), True
    ElseIf exitCode <> 0 Then
        logPath = CchcSaveLog(stderrText)
        CchcShow CchcMsgPythonFailed(buttonName, logPath), True
    End If
    ' Exit code 0: Python has shown its own messages (through Excel).
    Exit Sub
Fail:
    CchcUnexpected buttonName, Err.Number, Err.Description
End Sub

Public Sub CchcShow(ByVal msg As String, ByVal critical As Boolean)
    ' A message box that keeps Vietnamese: MsgBox converts its text to the ANSI code page,
    ' WScript.Shell's Popup does not (xlwings shows its errors the same way). 48/64: warning
    ' or information icon; 4096: on top of Excel.
    Dim flags As Long
    On Error GoTo NoPopup
    If critical Then flags = 48 Else flags = 64
    CreateObject("WScript.Shell").Popup msg, 0, CchcTitle(), flags + 4096
    Exit Sub
NoPopup:
    Resume Plain
Plain:
    On Error Resume Next
    MsgBox msg, flags, CchcTitle()
End Sub

Public Sub CchcUnexpected(ByVal buttonName As String, ByVal errorNumber As Long, ByVal description As String)
    ' The error handler of every public Sub ends here: a message box, never the VBA editor.
    On Error Resume Next
    CchcShow CchcMsgUnexpected(buttonName, errorNumber, description), True
End Sub

Public Function CchcAddinIsOpen() As Boolean
    Dim wb As Object
    On Error Resume Next
    Set wb = Application.Workbooks(CCHC_ADDIN_FILE)
    CchcAddinIsOpen = Not wb Is Nothing
End Function

' --------------------------------------------------------------------------- interpreter

Private Function CchcInterpreter() As String
    ' The Python RunPython would start: INTERPRETER_WIN, else INTERPRETER, else "python";
    ' each looked up as xlwings' GetConfig does (the workbook's xlwings.conf sheet, then an
    ' xlwings.conf beside it, then the user's file), except that the user's file is also read
    ' through a Unicode path (xlwings builds it with Environ("USERPROFILE")).
    Dim value As String, userFile As String
    userFile = CchcUserConfig()
    value = CchcXlwingsConfig("INTERPRETER_WIN", userFile)
    If value = "" Then value = CchcXlwingsConfig("INTERPRETER", userFile)
    If value = "" Then value = "python"
    CchcInterpreter = CchcExpand(value)
End Function

Private Function CchcXlwingsConfig(ByVal key As String, ByVal userFile As String) As String
    Dim value As String
    On Error Resume Next
    value = CStr(GetConfig(key, "", "sheet"))
    If value = "" Then value = CStr(GetConfig(key, "", "directory"))
    If value = "" Then value = CchcConfigValue(userFile, key)
    If value = "" Then value = CStr(GetConfig(key, "", "user"))
    CchcXlwingsConfig = value
End Function

Private Function CchcUserConfig() As String
    ' The text of %USERPROFILE%\.xlwings\xlwings.conf: cchc excel-setup writes it in the ANSI
    ' code page, or in UTF-8 when the Python path has letters that code page lacks.
    Dim path As String, content As String, utf8 As String
    On Error Resume Next
    path = CchcExpand("%USERPROFILE%") & "\.xlwings\xlwings.conf"
    If Not CchcFileExists(path) Then Exit Function
    content = CchcReadFile(path)
    If Not CchcIsAscii(content) Then
        utf8 = CchcReadUtf8(path)
        If utf8 <> "" And InStr(1, utf8, ChrW$(&HFFFD)) = 0 Then content = utf8
    End If
    CchcUserConfig = content
End Function

Private Function CchcInterpreterExists(ByVal interpreter As String) As Boolean
    Dim candidates() As String, i As Long
    If Not CchcIsBareCommand(interpreter) Then
        CchcInterpreterExists = CchcFileExists(interpreter)
        Exit Function
    End If
    candidates = Split(CchcPathCandidates(CchcExpand("%PATH%"), interpreter), vbLf)
    For i = LBound(candidates) To UBound(candidates)
        If CchcFileExists(candidates(i)) Then
            CchcInterpreterExists = True
            Exit Function
        End If
    Next i
End Function

Private Function CchcStartPython(ByVal interpreter As String, ByVal pythonCommand As String, _
                                 ByRef stderrText As String) As Long
    ' Run Python hidden and wait; its stderr goes to a file in %TEMP%, read back here.
    Dim logPath As String, commandLine As String
    Randomize
    logPath = CchcExpand("%TEMP%") & "\cchc-" & Format$(Now, "yyyymmddhhnnss") & "-" & _
              CStr(Int(Rnd() * 1000000)) & ".log"
    commandLine = CchcCommandLine(interpreter, pythonCommand, ThisWorkbook.Name, _
                                  Application.Path & "\" & Application.Name, CStr(Application.Hwnd), _
                                  logPath, CchcPythonPath())
    CchcStartPython = CreateObject("WScript.Shell").Run(commandLine, 0, True)
    stderrText = CchcReadFile(logPath)
    CchcDeleteFile logPath
End Function

Private Function CchcPythonPath() As String
    On Error Resume Next
    CchcPythonPath = CStr(GetConfig("PYTHONPATH"))
End Function

' --------------------------------------------------------------------------- files and places

Private Function CchcExpand(ByVal s As String) As String
    ' Environment variables, expanded in Unicode (VBA's Environ() returns ANSI text).
    CchcExpand = CreateObject("WScript.Shell").ExpandEnvironmentStrings(s)
End Function

Private Function CchcFileExists(ByVal path As String) As Boolean
    On Error GoTo Fallback
    CchcFileExists = CreateObject("Scripting.FileSystemObject").FileExists(path)
    Exit Function
Fallback:
    Resume Plain
Plain:
    On Error Resume Next
    CchcFileExists = FileExists(path)  ' xlwings.bas
End Function

Private Function CchcReadFile(ByVal path As String) As String
    ' A text file in the ANSI code page (all an ASCII file needs), "" when missing or empty.
    Dim fso As Object, stream As Object
    On Error Resume Next
    Set fso = CreateObject("Scripting.FileSystemObject")
    If Not fso.FileExists(path) Then Exit Function
    If fso.GetFile(path).Size = 0 Then Exit Function
    Set stream = fso.OpenTextFile(path, 1, False, 0)
    CchcReadFile = stream.ReadAll
    stream.Close
End Function

Private Function CchcReadUtf8(ByVal path As String) As String
    Dim stream As Object
    On Error Resume Next
    Set stream = CreateObject("ADODB.Stream")
    stream.Type = 2  ' text
    stream.Charset = "utf-8"
    stream.Open
    stream.LoadFromFile path
    CchcReadUtf8 = stream.ReadText
    stream.Close
End Function

Private Sub CchcDeleteFile(ByVal path As String)
    On Error Resume Next
    CreateObject("Scripting.FileSystemObject").DeleteFile path, True
End Sub

Private Function CchcSaveLog(ByVal stderrText As String) As String
    ' Keep what Python printed, for the support person: %LOCALAPPDATA%\cchc, beside the log
    ' cchc.excel writes itself. Returns the path, or "" when it could not be written.
    Dim fso As Object, folder As String, path As String, stream As Object
    On Error GoTo Failed
    Set fso = CreateObject("Scripting.FileSystemObject")
    folder = CchcExpand("%LOCALAPPDATA%") & "\cchc"
    If Not fso.FolderExists(folder) Then fso.CreateFolder folder
    path = folder & "\cchc-excel-python.log"
    Set stream = fso.CreateTextFile(path, True, True)  ' overwrite, UTF-16
    stream.Write Format$(Now, "yyyy-mm-dd hh:nn:ss") & vbCrLf & stderrText
    stream.Close
    CchcSaveLog = path
    Exit Function
Failed:
    CchcSaveLog = ""
End Function

Private Function CchcPortal() As String
    ' Where the province takes reports without the buttons: the cell named TT_CONG_NOP on
    ' "Thong tin chung", which the province fills before sending the template.
    Dim wb As Object
    On Error Resume Next
    If ThisWorkbook.IsAddin Then
        Set wb = ActiveWorkbook
    Else
        Set wb = ThisWorkbook
    End If
    If wb Is Nothing Then Exit Function
    CchcPortal = Trim$(CStr(wb.Names("TT_CONG_NOP").RefersToRange.Cells(1, 1).Value))
End Function
