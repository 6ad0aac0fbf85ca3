/* SPDX-License-Identifier: LGPL-3.0-or-later */
/*
 * Resource ids of the tray application, shared by res/app.rc and the C code
 * under src/win/. Prefixes: IDI_ icons, IDM_ menus and menu commands, IDD_
 * dialogs, IDC_ controls, IDS_ strings. Messages of our own (WM_APP + n)
 * are not here but in src/win/tray.h.
 */
#ifndef PSTSYNC_RESOURCE_H
#define PSTSYNC_RESOURCE_H

/* icons: the first one is the program's icon in Explorer */
#define IDI_APP          100
#define IDI_IDLE         101
#define IDI_SYNCING      102
#define IDI_ATTENTION    103

/* the tray menu and its commands */
#define IDM_TRAY         200
#define IDM_SYNC         201
#define IDM_PROFILES     202
#define IDM_SETTINGS     203
#define IDM_SHOW_LOG     204
#define IDM_START_OUTLOOK 205
#define IDM_ABOUT        206
#define IDM_EXIT         207

/* dialogs */
#define IDD_PROFILES     300
#define IDD_LINKS        301
#define IDD_SETTINGS     302
#define IDD_PROGRESS     303
#define IDD_CONFLICTS    304
#define IDD_DELETES      305
#define IDD_ABOUT        306

/* profiles window */
#define IDC_PROFILE_LIST    1000
#define IDC_PROFILE_ADD     1001
#define IDC_PROFILE_EDIT    1002
#define IDC_PROFILE_REMOVE  1003
#define IDC_PROFILE_SYNC    1004
#define IDC_PROFILE_STATUS  1005

/* link editor */
#define IDC_LINK_NAME        1100
#define IDC_LINK_LOCAL       1101
#define IDC_LINK_LOCAL_BROWSE 1102
#define IDC_LINK_GLOBAL      1103
#define IDC_LINK_GLOBAL_BROWSE 1104
#define IDC_LINK_LOCAL_TREE  1105
#define IDC_LINK_GLOBAL_TREE 1106
#define IDC_LINK_LIST        1107
#define IDC_LINK_DIRECTION   1108
#define IDC_LINK_ADD         1109
#define IDC_LINK_REMOVE      1110

/* settings */
#define IDC_OPT_OUTLOOK_START  1200
#define IDC_OPT_OUTLOOK_EXIT   1201
#define IDC_OPT_INTERVAL       1202
#define IDC_OPT_INTERVAL_SPIN  1203
#define IDC_OPT_SHOW_PROGRESS  1204
#define IDC_OPT_HIDE_PROGRESS  1205
#define IDC_OPT_CONFIRM_DELETES 1206
#define IDC_OPT_MASS_PERCENT   1207
#define IDC_OPT_MASS_MINIMUM   1208
#define IDC_OPT_CONFLICTS      1209
#define IDC_OPT_RUN_AT_LOGON   1210

/* progress */
#define IDC_PROG_PROFILE  1300
#define IDC_PROG_LINK     1301
#define IDC_PROG_ACTION   1302
#define IDC_PROG_COUNTS   1303
#define IDC_PROG_BAR      1304

/* conflicts and deletions */
#define IDC_Q_LIST        1400
#define IDC_Q_KEEP_LOCAL  1401
#define IDC_Q_KEEP_GLOBAL 1402
#define IDC_Q_KEEP_BOTH   1403
#define IDC_Q_LATER       1404
#define IDC_Q_DELETE      1405
#define IDC_Q_RESTORE     1406
#define IDC_Q_ALL         1407

/* about */
#define IDC_ABOUT_VERSION 1500

/* strings */
#define IDS_APP_TITLE       2000
#define IDS_TIP_IDLE        2001
#define IDS_TIP_LAST        2002
#define IDS_TIP_SYNCING     2003
#define IDS_TIP_ATTENTION   2004
#define IDS_EXIT_WAITING    2005
#define IDS_ALREADY_SYNCING 2006
#define IDS_NO_PROFILE      2007
#define IDS_COL_PROFILE     2008
#define IDS_COL_LOCAL       2009
#define IDS_COL_GLOBAL      2010
#define IDS_COL_LINKS       2011
#define IDS_BAD_SETTINGS    2012
#define IDS_USAGE           2013
#define IDS_NOT_YET         2014

#endif
