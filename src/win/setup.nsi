; SPDX-License-Identifier: LGPL-3.0-or-later
;
; The Windows setup of pstsync, built by `make dist` with NSIS's makensis
; (it runs on Linux) into build/dist/pstsync-VERSION-setup.exe. It installs
; pstsync.exe (the command line) and pstsyncw.exe (the tray application):
;
;   - per user, without administrator rights, into
;     %LOCALAPPDATA%\Programs\pstsync; with /ALLUSERS (run elevated) for
;     every user into Program Files. /D=DIR (last on the line) picks the
;     folder; an upgrade goes where the last version went;
;   - Start-menu shortcuts: pstsync, and "Outlook (synchronised)" for
;     pstsyncw.exe --start-outlook; optionally the Run value that starts
;     pstsync with Windows (/NOAUTOSTART leaves it out of a silent install);
;   - an uninstall entry (HKCU, or HKLM for all users) with version,
;     publisher, size and icon;
;   - /S installs silently; /PROFILES=FILE adds the profiles of FILE, a
;     settings file the office's admin wrote, with `pstsync profile import`.
;
; A running pstsyncw is asked to exit (WM_CLOSE: it lets a running sync end
; first) and waited for before its files are replaced, and started again
; afterwards. The uninstaller removes the program, its shortcuts, the Run
; value and the uninstall entry; the user's settings, protocols, log and
; recovery stores (%APPDATA%\pstsync, %LOCALAPPDATA%\pstsync) stay.
;
; makensis -NOCD -DVERSION=x.y.z -DEXEDIR=build/win64 -DOUTFILE=... src/win/setup.nsi
; (paths relative to the top of the source tree).

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef VERSION
!error "VERSION is not defined: makensis -DVERSION=x.y.z (make dist does it)"
!endif
!ifndef EXEDIR
!define EXEDIR build/win64
!endif
!ifndef OUTFILE
!define OUTFILE pstsync-${VERSION}-setup.exe
!endif

!define PRODUCT pstsync
!define PUBLISHER "The pstsync authors"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\pstsync"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define TRAY_CLASS "pstsync.tray"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh

Name "pstsync ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\pstsync"
; an upgrade goes where the last version went (per user; see .onInit for all users)
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "pstsync ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "pstsync"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "pstsync setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "LGPL-3.0-or-later"

!define MUI_ICON "res/idle.ico"
!define MUI_UNICON "res/idle.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\pstsyncw.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; the first is the default; NSIS picks the one of the user's display language
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"

LangString SecProgram ${LANG_ENGLISH} "pstsync (command line and tray application)"
LangString SecProgram ${LANG_GERMAN} "pstsync (Befehlszeile und Infobereich-Anwendung)"
LangString SecAutostart ${LANG_ENGLISH} "Start pstsync with Windows"
LangString SecAutostart ${LANG_GERMAN} "pstsync mit Windows starten"
LangString RunNow ${LANG_ENGLISH} "Start pstsync now"
LangString RunNow ${LANG_GERMAN} "pstsync jetzt starten"
LangString OutlookLink ${LANG_ENGLISH} "Outlook (synchronised)"
LangString OutlookLink ${LANG_GERMAN} "Outlook (synchronisiert)"
LangString NeedAdmin ${LANG_ENGLISH} "/ALLUSERS installs for every user into Program Files: run the setup as administrator."
LangString NeedAdmin ${LANG_GERMAN} "/ALLUSERS installiert für alle Benutzer nach Programme: bitte die Installation als Administrator ausführen."
LangString WaitTray ${LANG_ENGLISH} "Waiting for the running pstsync to finish its synchronisation and exit..."
LangString WaitTray ${LANG_GERMAN} "Warten, bis das laufende pstsync seine Synchronisation beendet hat..."
LangString TrayStays ${LANG_ENGLISH} "pstsync is still running and does not exit. Close it from its tray menu (Exit), then try again."
LangString TrayStays ${LANG_GERMAN} "pstsync läuft noch und beendet sich nicht. Bitte über sein Menü im Infobereich beenden (Beenden) und erneut versuchen."
LangString ImportFailed ${LANG_ENGLISH} "The profiles of $Profiles could not be imported (pstsync profile import: exit status $0); see the details."
LangString ImportFailed ${LANG_GERMAN} "Die Profile aus $Profiles konnten nicht übernommen werden (pstsync profile import: Status $0); siehe Details."

Var AllUsers      ; 1 when installing (or uninstalling) for every user
Var WasRunning    ; 1 when a pstsyncw was running before the upgrade
Var Profiles      ; /PROFILES=FILE
Var NoAutostart   ; 1 with /NOAUTOSTART

; ---- a running tray application -------------------------------------------

; Ask a running pstsyncw to exit and wait (up to ten minutes: a sync of a large
; store). Sets $WasRunning. The window class is TRAY_CLASS of src/win/tray.h.
!macro CLOSE_TRAY un
Function ${un}CloseTray
	StrCpy $WasRunning 0
	FindWindow $0 "${TRAY_CLASS}"
	${If} $0 = 0
		Return
	${EndIf}
	StrCpy $WasRunning 1
	DetailPrint "$(WaitTray)"
	SendMessage $0 ${WM_CLOSE} 0 0 /TIMEOUT=5000
	StrCpy $1 0
	${Do}
		Sleep 250
		FindWindow $0 "${TRAY_CLASS}"
		${If} $0 = 0
			; its process may still be closing its files
			Sleep 500
			Return
		${EndIf}
		IntOp $1 $1 + 1
	${LoopUntil} $1 >= 2400
	MessageBox MB_ICONSTOP|MB_OK "$(TrayStays)" /SD IDOK
	SetErrorLevel 5
	Abort
FunctionEnd
!macroend
!insertmacro CLOSE_TRAY ""
!insertmacro CLOSE_TRAY "un."

; ---- install -------------------------------------------------------------------

Section "$(SecProgram)" SecMain
	SectionIn RO
	Call CloseTray
	SetOutPath "$INSTDIR"
	File "${EXEDIR}/pstsync.exe"
	File "${EXEDIR}/pstsyncw.exe"
	File "LICENSE"
	File "README.md"
	WriteUninstaller "$INSTDIR\uninstall.exe"

	CreateDirectory "$SMPROGRAMS\pstsync"
	CreateShortCut "$SMPROGRAMS\pstsync\pstsync.lnk" "$INSTDIR\pstsyncw.exe" "" \
		"$INSTDIR\pstsyncw.exe" 0
	CreateShortCut "$SMPROGRAMS\pstsync\$(OutlookLink).lnk" "$INSTDIR\pstsyncw.exe" \
		"--start-outlook" "$INSTDIR\pstsyncw.exe" 0

	${GetSize} "$INSTDIR" "/S=0K" $R3 $R4 $R5
	${If} $AllUsers = 1
		WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "pstsync"
		WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
		WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
		WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\pstsyncw.exe,0"
		WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
		WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
		WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
		WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $R3
		WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
		WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
	${Else}
		WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "pstsync"
		WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
		WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
		WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\pstsyncw.exe,0"
		WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
		WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
		WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
		WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $R3
		WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
		WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
	${EndIf}

	${If} $Profiles != ""
		nsExec::ExecToLog '"$INSTDIR\pstsync.exe" profile import "$Profiles"'
		Pop $0
		${If} $0 != 0
			MessageBox MB_ICONEXCLAMATION|MB_OK "$(ImportFailed)" /SD IDOK
			SetErrorLevel 3
		${EndIf}
	${EndIf}
SectionEnd

Section "$(SecAutostart)" SecAutostart
	${If} $AllUsers = 1
		; --logon: a user who turns it off in the Settings is left alone (README)
		WriteRegStr HKLM "${RUN_KEY}" "pstsync" '"$INSTDIR\pstsyncw.exe" --logon'
	${Else}
		WriteRegStr HKCU "${RUN_KEY}" "pstsync" '"$INSTDIR\pstsyncw.exe"'
	${EndIf}
SectionEnd

Section "-restart"
	; the tray application the upgrade closed comes back (the finish page offers it otherwise)
	${If} $WasRunning = 1
		Exec '"$INSTDIR\pstsyncw.exe"'
	${EndIf}
SectionEnd

; after the sections: it names one
Function .onInit
	${GetParameters} $R0
	StrCpy $AllUsers 0
	ClearErrors
	${GetOptions} $R0 "/ALLUSERS" $R1
	${IfNot} ${Errors}
		StrCpy $AllUsers 1
	${EndIf}
	ClearErrors
	${GetOptions} $R0 "/NOAUTOSTART" $R1
	${If} ${Errors}
		StrCpy $NoAutostart 0
	${Else}
		StrCpy $NoAutostart 1
	${EndIf}
	ClearErrors
	${GetOptions} $R0 "/PROFILES=" $Profiles
	${If} $AllUsers = 1
		UserInfo::GetAccountType
		Pop $R1
		${If} $R1 != "Admin"
			MessageBox MB_ICONSTOP|MB_OK "$(NeedAdmin)" /SD IDOK
			SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED
			Quit
		${EndIf}
		SetShellVarContext all
		; the per-user default (or its registry entry) gives way to Program Files;
		; a /D= on the command line does not
		ReadRegStr $R1 HKCU "${UNINST_KEY}" "InstallLocation"
		${If} $INSTDIR == "$LOCALAPPDATA\Programs\pstsync"
		${OrIf} $INSTDIR == $R1
			ReadRegStr $R1 HKLM "${UNINST_KEY}" "InstallLocation"
			${If} $R1 != ""
				StrCpy $INSTDIR $R1
			${Else}
				StrCpy $INSTDIR "$PROGRAMFILES64\pstsync"
			${EndIf}
		${EndIf}
	${EndIf}
	; a silent install starts pstsync with Windows unless /NOAUTOSTART
	${If} $NoAutostart = 1
		SectionSetFlags ${SecAutostart} 0
	${EndIf}
FunctionEnd

; ---- uninstall -----------------------------------------------------------------

Function un.onInit
	; installed for every user when HKLM's entry names this folder
	StrCpy $AllUsers 0
	ReadRegStr $R1 HKLM "${UNINST_KEY}" "InstallLocation"
	${If} $R1 == $INSTDIR
		StrCpy $AllUsers 1
		UserInfo::GetAccountType
		Pop $R1
		${If} $R1 != "Admin"
			MessageBox MB_ICONSTOP|MB_OK "$(NeedAdmin)" /SD IDOK
			SetErrorLevel 740
			Quit
		${EndIf}
		SetShellVarContext all
	${EndIf}
FunctionEnd

Section "Uninstall"
	Call un.CloseTray
	Delete "$INSTDIR\pstsync.exe"
	Delete "$INSTDIR\pstsyncw.exe"
	Delete "$INSTDIR\LICENSE"
	Delete "$INSTDIR\README.md"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	Delete "$SMPROGRAMS\pstsync\pstsync.lnk"
	; the shortcut's name is in the language of the install
	Delete "$SMPROGRAMS\pstsync\Outlook (synchronised).lnk"
	Delete "$SMPROGRAMS\pstsync\Outlook (synchronisiert).lnk"
	RMDir "$SMPROGRAMS\pstsync"
	${If} $AllUsers = 1
		DeleteRegValue HKLM "${RUN_KEY}" "pstsync"
		DeleteRegKey HKLM "${UNINST_KEY}"
	${Else}
		DeleteRegValue HKCU "${RUN_KEY}" "pstsync"
		DeleteRegKey HKCU "${UNINST_KEY}"
	${EndIf}
	; %APPDATA%\pstsync and %LOCALAPPDATA%\pstsync (settings, protocols, log,
	; recovery stores) are the user's data: they stay
SectionEnd
