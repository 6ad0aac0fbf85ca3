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
#define IDC_PROFILE_LINKS   1006

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
#define IDC_LINK_GLOBAL_CREATE 1111
#define IDC_LINK_LOCAL_INFO  1112
#define IDC_LINK_GLOBAL_INFO 1113

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

/* strings of the profiles window, the profile editor and the settings (1250-1299) */
#define IDS_COL_LOCAL_FOLDER   1250
#define IDS_COL_GLOBAL_FOLDER  1251
#define IDS_COL_DIRECTION      1252
#define IDS_COL_LAST_SYNC      1253
#define IDS_COL_LOCAL_ITEMS    1254
#define IDS_COL_GLOBAL_ITEMS   1255
#define IDS_COL_QUESTIONS      1256
#define IDS_DIR_BOTH           1257
#define IDS_DIR_TO_GLOBAL      1258
#define IDS_DIR_FROM_GLOBAL    1259
#define IDS_NEVER              1260
#define IDS_PST_FILTER_LOCAL   1261
#define IDS_PST_FILTER_GLOBAL  1262
#define IDS_NEW_PROFILE        1263
#define IDS_EDIT_PROFILE       1264
#define IDS_COL_NOT_CARRIED    1265
#define IDS_NOT_CARRIED_LOCAL  1266
#define IDS_NOT_CARRIED_GLOBAL 1267

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
#define IDC_Q_UNLINK      1408
#define IDC_Q_HEAD        1409
#define IDC_Q_DETAIL      1410
#define IDC_Q_SUMMARY     1411

/* about */
#define IDC_ABOUT_VERSION 1500

/* Outlook, the schedule, notices (tray_outlook.c): commands 250-259, strings 1650-1699 */
#define IDM_CANCEL_WAIT       250
#define IDS_TIP_WAITING       1650
#define IDS_WAIT_TITLE        1651
#define IDS_WAIT_ACTION       1652
#define IDS_WAIT_HINT         1653
#define IDS_CANCEL_WAIT       1654
#define IDS_ALREADY_WAITING   1655
#define IDS_OUTLOOK_NOT_FOUND 1656
#define IDS_NOTICE_SYNCED     1657
#define IDS_NOTICE_FAILED     1658
#define IDS_NOTICE_QUESTIONS  1659

/* Recover items (tray_recover.c): command 260, dialog 320, controls 1700-1719,
 * strings 1720-1749 */
#define IDM_RECOVER           260
#define IDD_RECOVER           320
#define IDC_REC_PROFILE       1700
#define IDC_REC_FOLDER        1701
#define IDC_REC_TEXT          1702
#define IDC_REC_LIST          1703
#define IDC_REC_STATUS        1704
#define IDC_REC_REPLACE       1705
#define IDC_REC_RESTORE       1706
#define IDC_PROFILE_RECOVER   1707
#define IDS_REC_COL_WHEN      1720
#define IDS_REC_COL_STORE     1721
#define IDS_REC_COL_FOLDER    1722
#define IDS_REC_COL_SUBJECT   1723
#define IDS_REC_COL_WHAT      1724
#define IDS_REC_COL_SYNC      1725
#define IDS_REC_LOCAL         1726
#define IDS_REC_GLOBAL        1727
#define IDS_REC_OVERWRITTEN   1728
#define IDS_REC_DELETED       1729
#define IDS_REC_NONE          1730
#define IDS_REC_CANNOT_READ   1731
#define IDS_REC_COUNT         1732
#define IDS_REC_SYNCING       1733
#define IDS_REC_RESTORED      1734
#define IDS_REC_RESTORE_FAILED 1735
#define IDS_REC_NOTICE        1736

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
/* the first start (tray_firstrun.c) */
#define IDS_FIRST_TITLE     2950
#define IDS_FIRST_FOUND     2951
#define IDS_FIRST_NONE      2952

#endif
