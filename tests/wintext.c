/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * What a window shows, as text, for the tray application's Wine tests
 * (tests/tray_german_test.sh), cross-built by `make win` into
 * build/win64/test/wintext.exe. xdotool sees only the titles of top-level
 * windows; this reads the rest as a screen reader would: the text of every
 * control of each visible top-level window whose title is TITLE (every
 * window's, without one), and the column heads of list views, which live
 * in the other process and are read through memory lent there. One line per
 * text, UTF-8:
 *
 *   title<TAB>TEXT        the window's title
 *   CLASS<TAB>TEXT        a control's text (Static, Button, Edit, ...)
 *   checked<TAB>TEXT      a tick box that is ticked (unchecked: one that is not)
 *   column<TAB>TEXT       a list view's column head
 *
 * Exit status: 0 when a window was found, 1 when none was.
 */
#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include <string.h>

static void put(const char *what, const wchar_t *text)
{
	char u[4096];

	if (!WideCharToMultiByte(CP_UTF8, 0, text, -1, u, (int)sizeof(u), NULL, NULL))
		u[0] = 0;
	/* one line per text: line breaks within become spaces */
	for (char *p = u; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	printf("%s\t%s\n", what, u);
}

/* The column heads of a list view of another process. */
static void columns(HWND list)
{
	HWND header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
	int i, n = header ? (int)SendMessageW(header, HDM_GETITEMCOUNT, 0, 0) : 0;
	DWORD pid = 0;
	HANDLE proc;
	char *remote;

	if (n <= 0)
		return;
	GetWindowThreadProcessId(list, &pid);
	proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE, FALSE, pid);
	if (!proc)
		return;
	remote = VirtualAllocEx(proc, NULL, 4096, MEM_COMMIT, PAGE_READWRITE);
	for (i = 0; remote && i < n; i++) {
		LVCOLUMNW c;
		wchar_t text[256];
		SIZE_T done;
		memset(&c, 0, sizeof(c));
		c.mask = LVCF_TEXT;
		c.pszText = (wchar_t *)(remote + 1024);
		c.cchTextMax = 255;
		text[0] = 0;
		if (WriteProcessMemory(proc, remote, &c, sizeof(c), &done) &&
		    SendMessageW(list, LVM_GETCOLUMNW, (WPARAM)i, (LPARAM)remote) &&
		    ReadProcessMemory(proc, remote + 1024, text, sizeof(text) - sizeof(wchar_t), &done)) {
			text[255] = 0;
			put("column", text);
		}
	}
	if (remote)
		VirtualFreeEx(proc, remote, 0, MEM_RELEASE);
	CloseHandle(proc);
}

static BOOL CALLBACK child(HWND hwnd, LPARAM lp)
{
	wchar_t cls[64], text[2048];
	char c[64];

	(void)lp;
	if (!IsWindowVisible(hwnd))
		return TRUE;
	GetClassNameW(hwnd, cls, 64);
	WideCharToMultiByte(CP_UTF8, 0, cls, -1, c, 64, NULL, NULL);
	if (_wcsicmp(cls, WC_LISTVIEWW) == 0) {
		columns(hwnd);
		return TRUE;
	}
	text[0] = 0;
	SendMessageW(hwnd, WM_GETTEXT, 2048, (LPARAM)text);
	if (_wcsicmp(cls, L"Button") == 0) {
		LONG style = GetWindowLongW(hwnd, GWL_STYLE) & BS_TYPEMASK;
		if (style == BS_CHECKBOX || style == BS_AUTOCHECKBOX) {
			put(SendMessageW(hwnd, BM_GETCHECK, 0, 0) == BST_CHECKED ? "checked" : "unchecked",
				text);
			return TRUE;
		}
	}
	if (text[0])
		put(c, text);
	return TRUE;
}

static int found;

static BOOL CALLBACK top(HWND hwnd, LPARAM lp)
{
	const wchar_t *want = (const wchar_t *)lp;
	wchar_t title[512];

	if (!IsWindowVisible(hwnd))
		return TRUE;
	title[0] = 0;
	GetWindowTextW(hwnd, title, 512);
	if (want && wcscmp(title, want) != 0)
		return TRUE;
	found = 1;
	put("title", title);
	EnumChildWindows(hwnd, child, 0);
	return TRUE;
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	EnumWindows(top, (LPARAM)(argc > 1 ? argv[1] : NULL));
	fflush(stdout);
	return found ? 0 : 1;
}
