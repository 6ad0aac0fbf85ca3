/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * The tray application's first start: when there is no settings file yet
 * (and so no profile), it offers to make a profile, and proposes the
 * user's own Outlook data file as its local store. The PST files it finds
 * come from the usual folders (Documents\Outlook Files, the older My
 * Documents\Outlook Files, %LOCALAPPDATA%\Microsoft\Outlook) and from the
 * Outlook profiles in the registry, whose PST services keep their file in
 * the value 001f6700 (PR_PST_PATH_W, UTF-16) or 001e6700 (the ANSI one):
 * under HKCU\Software\Microsoft\Office\<version>\Outlook\Profiles (Outlook
 * 2013 and later) and ...\Windows Messaging Subsystem\Profiles (earlier).
 * Only files that exist are proposed, each once.
 */
#include "win/tray.h"

#include <shlobj.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pstsync/os.h"
#include "resource.h"

#define MAX_FOUND 16

struct found {
	wchar_t *path[MAX_FOUND];
	int n;
};

static void add_file(struct found *f, const wchar_t *path)
{
	DWORD attr = GetFileAttributesW(path);
	int i;

	if (f->n >= MAX_FOUND || attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_DIRECTORY))
		return;
	for (i = 0; i < f->n; i++)
		if (_wcsicmp(f->path[i], path) == 0)
			return;
	if ((f->path[f->n] = _wcsdup(path)) != NULL)
		f->n++;
}

/* every *.pst of folder @p dir */
static void scan_folder(struct found *f, const wchar_t *dir)
{
	wchar_t pattern[MAX_PATH + 8], path[MAX_PATH * 2];
	WIN32_FIND_DATAW fd;
	HANDLE h;

	if (!dir[0] || _snwprintf(pattern, MAX_PATH + 7, L"%ls\\*.pst", dir) < 0)
		return;
	pattern[MAX_PATH + 7] = 0;
	h = FindFirstFileW(pattern, &fd);
	if (h == INVALID_HANDLE_VALUE)
		return;
	do {
		_snwprintf(path, MAX_PATH * 2 - 1, L"%ls\\%ls", dir, fd.cFileName);
		path[MAX_PATH * 2 - 1] = 0;
		add_file(f, path);
	} while (FindNextFileW(h, &fd));
	FindClose(h);
}

/* the PST paths below registry key @p key, @p depth levels down */
static void scan_key(struct found *f, HKEY key, int depth)
{
	wchar_t name[256], path[MAX_PATH * 2];
	BYTE data[MAX_PATH * 4 + 4];
	DWORD i, n, size, type;
	HKEY sub;

	for (i = 0;; i++) {
		n = 256;
		size = sizeof(data) - 4;
		if (RegEnumValueW(key, i, name, &n, NULL, &type, data, &size) != ERROR_SUCCESS)
			break;
		memset(data + size, 0, 4);
		if (type == REG_BINARY && _wcsicmp(name, L"001f6700") == 0) {
			add_file(f, (const wchar_t *)data);
		} else if (type == REG_BINARY && _wcsicmp(name, L"001e6700") == 0
		    && MultiByteToWideChar(CP_ACP, 0, (const char *)data, -1, path, MAX_PATH * 2)) {
			add_file(f, path);
		}
	}
	if (depth <= 0)
		return;
	for (i = 0;; i++) {
		n = 256;
		if (RegEnumKeyExW(key, i, name, &n, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
			break;
		if (RegOpenKeyExW(key, name, 0, KEY_READ, &sub) == ERROR_SUCCESS) {
			scan_key(f, sub, depth - 1);
			RegCloseKey(sub);
		}
	}
}

static void scan_registry(struct found *f)
{
	wchar_t version[64], path[256];
	DWORD i, n;
	HKEY office, key;

	if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Office", 0, KEY_READ, &office)
	    == ERROR_SUCCESS) {
		for (i = 0;; i++) {
			n = 64;
			if (RegEnumKeyExW(office, i, version, &n, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
				break;
			_snwprintf(path, 255, L"%ls\\Outlook\\Profiles", version);
			path[255] = 0;
			/* Profiles\<profile>\<service or provider>\<values> */
			if (RegOpenKeyExW(office, path, 0, KEY_READ, &key) == ERROR_SUCCESS) {
				scan_key(f, key, 2);
				RegCloseKey(key);
			}
		}
		RegCloseKey(office);
	}
	if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows NT\\CurrentVersion\\"
	    L"Windows Messaging Subsystem\\Profiles", 0, KEY_READ, &key) == ERROR_SUCCESS) {
		scan_key(f, key, 2);
		RegCloseKey(key);
	}
}

static void find_pst_files(struct found *f)
{
	wchar_t dir[MAX_PATH], sub[MAX_PATH * 2];

	if (SHGetFolderPathW(NULL, CSIDL_PERSONAL, NULL, SHGFP_TYPE_CURRENT, dir) == S_OK) {
		_snwprintf(sub, MAX_PATH * 2 - 1, L"%ls\\Outlook Files", dir);
		sub[MAX_PATH * 2 - 1] = 0;
		scan_folder(f, sub);
	}
	if (SHGetFolderPathW(NULL, CSIDL_PROFILE, NULL, SHGFP_TYPE_CURRENT, dir) == S_OK) {
		_snwprintf(sub, MAX_PATH * 2 - 1, L"%ls\\My Documents\\Outlook Files", dir);
		sub[MAX_PATH * 2 - 1] = 0;
		scan_folder(f, sub);
	}
	if (SHGetFolderPathW(NULL, CSIDL_LOCAL_APPDATA, NULL, SHGFP_TYPE_CURRENT, dir) == S_OK) {
		_snwprintf(sub, MAX_PATH * 2 - 1, L"%ls\\Microsoft\\Outlook", dir);
		sub[MAX_PATH * 2 - 1] = 0;
		scan_folder(f, sub);
	}
	scan_registry(f);
}

void tray_first_start(struct tray *t)
{
	struct found f;
	wchar_t text[4096], list[3000];
	size_t used = 0;
	char *saved = NULL;
	int i;

	if (ps_settings_profile_count(t->settings) > 0
	    || ps_path_kind(ps_settings_path(t->settings)) != PS_PATH_NONE)
		return;
	memset(&f, 0, sizeof(f));
	find_pst_files(&f);
	list[0] = 0;
	for (i = 0; i < f.n && used + wcslen(f.path[i]) + 8 < 3000; i++) {
		char *u = tray_utf8(f.path[i]);
		used += (size_t)_snwprintf(list + used, 3000 - used, L"\n    %ls", f.path[i]);
		tray_logs(IDS_LOG_FIRST_FOUND, u ? u : "?");
		free(u);
	}
	if (f.n)
		_snwprintf(text, 4095, tray_string(IDS_FIRST_FOUND), list);
	else
		_snwprintf(text, 4095, L"%ls", tray_string(IDS_FIRST_NONE));
	text[4095] = 0;
	tray_logs(TRAY_PLURAL(f.n, IDS_LOG_FIRST_OFFER_1, IDS_LOG_FIRST_OFFER_N), f.n);
	if (MessageBoxW(NULL, text, tray_string(IDS_FIRST_TITLE),
	    MB_YESNO | MB_ICONQUESTION | MB_SETFOREGROUND) == IDYES) {
		/* the editor takes the proposal as the new profile's local store */
		t->propose_local = f.n ? tray_utf8(f.path[0]) : NULL;
		if (tray_edit_profile(t, NULL, NULL, &saved))
			tray_logs(IDS_LOG_FIRST_MADE, saved ? saved : "");
		else
			tray_logs(IDS_LOG_FIRST_NOT_MADE);
		free(t->propose_local);
		t->propose_local = NULL;
		free(saved);
	} else {
		tray_logs(IDS_LOG_FIRST_DECLINED);
	}
	for (i = 0; i < f.n; i++)
		free(f.path[i]);
}
