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

/* ---- the strings the code formats (3000-3499) ---- */
/* strings the code formats (tray*.c): plurals are pairs _1 and _N; ids that the code
 * steps through (local + 1 = global, _1 + 2 = the next pair) keep their order here */
/* the tray: tooltips, notices, the end of a sync (tray.c) */
#define IDS_SAVE_FAILED                3000
#define IDS_TIP_ERRORS_1               3001
#define IDS_TIP_ERRORS_N               3002
#define IDS_TIP_QUESTIONS_1            3003
#define IDS_TIP_QUESTIONS_N            3004
#define IDS_NOTICE_ERRORS_1            3005
#define IDS_NOTICE_ERRORS_N            3006
#define IDS_NOTICE_WAITING_1           3007
#define IDS_NOTICE_WAITING_N           3008
#define IDS_DONE_ERRORS_1              3009
#define IDS_DONE_ERRORS_N              3010
#define IDS_DONE_LATER_1               3011
#define IDS_DONE_LATER_N               3012
#define IDS_DONE_IN_STEP               3013
#define IDS_CHG_COPIED_LOCAL           3014
#define IDS_CHG_COPIED_GLOBAL          3015
#define IDS_CHG_OVERWRITTEN_LOCAL      3016
#define IDS_CHG_OVERWRITTEN_GLOBAL     3017
#define IDS_CHG_DELETED_LOCAL          3018
#define IDS_CHG_DELETED_GLOBAL         3019
#define IDS_CHG_UNLINKED               3020
#define IDS_SYSTEM_ERROR               3021
#define IDS_OUTLOOK_FAILED             3022
/* the log's lines (tray.c, tray_outlook.c): %s takes UTF-8; the core's messages come in English */
#define IDS_LOG_NOTICE_FAILED          3023
#define IDS_LOG_THREAD_FAILED          3024
#define IDS_LOG_RUN_STARTED            3025
#define IDS_REASON_USER                3026
#define IDS_REASON_SCHEDULE            3027
#define IDS_REASON_OUTLOOK_EXIT        3028
#define IDS_REASON_START_OUTLOOK       3029
#define IDS_REASON_RETRY               3030
#define IDS_LOG_OPENED                 3031
#define IDS_LOG_EXIT_WAITS             3032
#define IDS_LOG_EXIT_DROPS             3033
#define IDS_LOG_TASKBAR_ADDED          3034
#define IDS_LOG_TASKBAR_NOT_ADDED      3035
#define IDS_LOG_STATE_WAITING          3036
#define IDS_LOG_STATE_SYNCING          3037
#define IDS_LOG_STATE_ATTENTION        3038
#define IDS_LOG_STATE_IDLE             3039
#define IDS_LOG_SECOND_START           3040
#define IDS_LOG_STARTED                3041
#define IDS_LOG_EXITED                 3042
#define IDS_LOG_OUTLOOK_STARTED        3043
#define IDS_LOG_WAITING_OUTLOOK        3044
#define IDS_LOG_A_STORE                3045
#define IDS_LOG_WAIT_CANCELLED         3046
#define IDS_LOG_OUTLOOK_NOT_FOUND      3047
#define IDS_LOG_STARTING_OUTLOOK       3048
#define IDS_LOG_OUTLOOK_FAILED         3049
#define IDS_LOG_OUTLOOK_AFTER          3050
#define IDS_LOG_OUTLOOK_RUNS           3051
#define IDS_LOG_OUTLOOK_SYNC_FIRST     3052
#define IDS_LOG_SCHEDULE_OFF           3053
#define IDS_LOG_SCHEDULE_1             3054
#define IDS_LOG_SCHEDULE_N             3055
#define IDS_LOG_RETRIES_USED           3056
#define IDS_LOG_PUT_OFF_AUTO           3057
#define IDS_LOG_PUT_OFF_SCHEDULED      3058
#define IDS_LOG_OUTLOOK_RUNNING        3059
#define IDS_LOG_SKIPPED_RUNNING        3060
#define IDS_LOG_SKIPPED_WAITING        3061
#define IDS_LOG_AUTO_STARTS_1          3062
#define IDS_LOG_AUTO_STARTS_N          3063
#define IDS_LOG_SCHEDULED_STARTS_1     3064
#define IDS_LOG_SCHEDULED_STARTS_N     3065
#define IDS_LOG_SYNC_AGAIN             3066
#define IDS_LOG_OUTLOOK_EXITED         3067
#define IDS_LOG_OUTLOOK_EXITED_WAITED  3068
#define IDS_LOG_OUTLOOK_EXITED_DURING  3069
#define IDS_LOG_OUTLOOK_EXITED_SYNC    3070
#define IDS_LOG_OUTLOOK_IS_RUNNING     3071
#define IDS_LOG_ERROR                  3072
#define IDS_LOG_WARNING                3073
#define IDS_LOG_NOTICE                 3074
/* the profiles window, the settings, the progress window (tray_dialogs.c) */
#define IDS_STATUS_SYNCING             3075
#define IDS_STATUS_NO_PROFILES         3076
#define IDS_STATUS_CANNOT_READ         3077
#define IDS_STATUS_NEVER               3078
#define IDS_STATUS_UNFINISHED          3079
#define IDS_STATUS_ERRORS              3080
#define IDS_STATUS_COMPLETED           3081
#define IDS_STATUS_OUTSTANDING_1       3082
#define IDS_STATUS_OUTSTANDING_N       3083
#define IDS_REMOVE_PROFILE             3084
#define IDS_CONFLICTS_ASK              3085
#define IDS_CONFLICTS_LOCAL            3086
#define IDS_CONFLICTS_GLOBAL           3087
#define IDS_CONFLICTS_BOTH             3088
#define IDS_CONFLICTS_LATER            3089
#define IDS_NUMBER_MISSING             3090
#define IDS_PROGRESS_TITLE             3091
#define IDS_PROGRESS_HIDE              3092
#define IDS_PROGRESS_DONE              3093
#define IDS_PROGRESS_CLOSE             3094
#define IDS_PROG_ACTIONS_1             3095
#define IDS_PROG_ACTIONS_N             3096
#define IDS_PROG_ACTIONS_SO_FAR_1      3097
#define IDS_PROG_ACTIONS_SO_FAR_N      3098
#define IDS_PROG_ERRORS_1              3099
#define IDS_PROG_ERRORS_N              3100
#define IDS_LOG_PROFILE_TICKED         3101
#define IDS_LOG_PROFILE_UNTICKED       3102
#define IDS_LOG_PROFILE_REMOVED        3103
#define IDS_LOG_SETTINGS_CHANGED       3104
/* the profile editor (tray_links.c) */
#define IDS_OUT_OF_MEMORY              3105
#define IDS_EDIT_TYPE_STORE            3106
#define IDS_EDIT_READING               3107
#define IDS_EDIT_NAMED_FOLDERS_1       3108
#define IDS_EDIT_NAMED_FOLDERS_N       3109
#define IDS_EDIT_FOLDERS_1             3110
#define IDS_EDIT_FOLDERS_N             3111
#define IDS_EDIT_NOT_YET               3112
#define IDS_EDIT_MISSING               3113
#define IDS_EDIT_CANNOT_OPEN           3114
#define IDS_EDIT_CHOOSE_FOLDERS        3115
#define IDS_EDIT_LINKED_ALREADY        3116
#define IDS_EDIT_BROWSE_LOCAL          3117
#define IDS_EDIT_BROWSE_GLOBAL         3118
#define IDS_EDIT_CREATE_ASK            3119
#define IDS_EDIT_NAME_IT               3120
#define IDS_EDIT_CHOOSE_LOCAL          3121
#define IDS_EDIT_CHOOSE_GLOBAL         3122
#define IDS_EDIT_SAME_FILE             3123
#define IDS_EDIT_LOCAL_UNREADABLE      3124
#define IDS_EDIT_GLOBAL_UNREADABLE     3125
#define IDS_EDIT_RENAME_ASK            3126
#define IDS_LOG_STORE_CREATED          3127
#define IDS_LOG_PROFILE_ADDED          3128
#define IDS_LOG_PROFILE_CHANGED        3129
#define IDS_LOG_NO_LINKS               3130
/* the question dialogs (tray_questions.c); local, then global where ids go in pairs */
#define IDS_Q_CHANGED                  3131
#define IDS_Q_CHANGED_AT               3132
#define IDS_Q_DELETED                  3133
#define IDS_Q_DELETED_AT               3134
#define IDS_Q_UNCHANGED                3135
#define IDS_TYPE_CONTACT               3136
#define IDS_TYPE_DISTLIST              3137
#define IDS_TYPE_APPOINTMENT           3138
#define IDS_TYPE_MEETING               3139
#define IDS_TYPE_TASK                  3140
#define IDS_TYPE_NOTE                  3141
#define IDS_TYPE_JOURNAL               3142
#define IDS_TYPE_MAIL                  3143
#define IDS_TYPE_POST                  3144
#define IDS_TYPE_ITEM                  3145
#define IDS_Q_FROM_GLOBAL_ONLY         3146
#define IDS_Q_TO_GLOBAL_ONLY           3147
#define IDS_Q_DELETE_IN_LOCAL          3148
#define IDS_Q_DELETE_IN_GLOBAL         3149
#define IDS_Q_RESTORE_IN_LOCAL         3150
#define IDS_Q_RESTORE_IN_GLOBAL        3151
#define IDS_Q_LATER                    3152
#define IDS_Q_KEEP_LOCAL_DELETION      3153
#define IDS_Q_KEEP_GLOBAL_DELETION     3154
#define IDS_Q_KEEP_LOCAL_VERSION       3155
#define IDS_Q_KEEP_GLOBAL_VERSION      3156
#define IDS_Q_KEEP_BOTH                3157
#define IDS_Q_KEEP_EACH                3158
#define IDS_Q_NO_SUBJECT               3159
#define IDS_Q_IN_LOCAL                 3160
#define IDS_Q_IN_GLOBAL                3161
#define IDS_Q_IN_LOCAL_AT              3162
#define IDS_Q_IN_GLOBAL_AT             3163
#define IDS_QCOL_ITEM                  3164
#define IDS_QCOL_TYPE                  3165
#define IDS_QCOL_FOLDER                3166
#define IDS_QCOL_DELETED               3167
#define IDS_QCOL_CHOICE                3168
#define IDS_Q_ALL_DECIDED_1            3169
#define IDS_Q_ALL_DECIDED_N            3170
#define IDS_Q_SOME_DECIDED             3171
#define IDS_Q_DETAIL                   3172
#define IDS_Q_RECEIVES_ONLY            3173
#define IDS_Q_PUBLISHES_ONLY           3174
#define IDS_Q_HELD_BACK                3175
#define IDS_Q_WAITING_1                3176
#define IDS_Q_WAITING_N                3177
#define IDS_Q_HEAD_CONFLICTS_1         3178
#define IDS_Q_HEAD_CONFLICTS_N         3179
#define IDS_Q_HEAD_HELD_1              3180
#define IDS_Q_HEAD_HELD_N              3181
#define IDS_Q_HEAD_DELETES_1           3182
#define IDS_Q_HEAD_DELETES_N           3183
#define IDS_LOG_Q_CONFLICTS_EXIT       3184
#define IDS_LOG_Q_CONFLICTS_CLOSED     3185
#define IDS_LOG_Q_DELETES_EXIT         3186
#define IDS_LOG_Q_DELETES_CLOSED       3187
#define IDS_LOG_ANSWER_CONFLICT        3188
#define IDS_LOG_ANSWER_DELETION        3189
#define IDS_LOG_Q_CONFLICTS_LATER_1    3190
#define IDS_LOG_Q_CONFLICTS_LATER_N    3191
#define IDS_LOG_Q_DELETES_LATER_1      3192
#define IDS_LOG_Q_DELETES_LATER_N      3193
#define IDS_LOG_Q_NO_MEMORY            3194
#define IDS_LOG_Q_NO_DIALOG            3195
/* Recover items and the first start: the log's lines (tray_recover.c, tray_firstrun.c) */
#define IDS_LOG_RESTORED_NEW_LOCAL     3196
#define IDS_LOG_RESTORED_NEW_GLOBAL    3197
#define IDS_LOG_RESTORED_OVER_LOCAL    3198
#define IDS_LOG_RESTORED_OVER_GLOBAL   3199
#define IDS_LOG_RESTORE_FAILED         3200
#define IDS_LOG_RECOVER_OPENED         3201
#define IDS_LOG_FIRST_FOUND            3202
#define IDS_LOG_FIRST_OFFER_1          3203
#define IDS_LOG_FIRST_OFFER_N          3204
#define IDS_LOG_FIRST_MADE             3205
#define IDS_LOG_FIRST_NOT_MADE         3206
#define IDS_LOG_FIRST_DECLINED         3207
/* the sync's progress and its lines in the log (tray_sync.c) */
#define IDS_PHASE_OPEN                 3208
#define IDS_PHASE_RECOVER              3209
#define IDS_PHASE_SCAN                 3210
#define IDS_PHASE_APPLY                3211
#define IDS_PHASE_ASK                  3212
#define IDS_PHASE_DONE                 3213
#define IDS_ACT_COPIED                 3214
#define IDS_ACT_OVERWRITTEN            3215
#define IDS_ACT_DELETED                3216
#define IDS_ACT_PAIRED                 3217
#define IDS_ACT_UNLINKED               3218
#define IDS_ACT_FOLDER_CREATED         3219
#define IDS_ACT_ASKED                  3220
#define IDS_SIDE_LOCAL                 3221
#define IDS_SIDE_GLOBAL                3222
#define IDS_ACT_ON_SIDE                3223
#define IDS_ACT_NO_SIDE                3224
#define IDS_CHG_PAIRED                 3225
#define IDS_CHG_KEPT_LOCAL_1           3226
#define IDS_CHG_KEPT_LOCAL_N           3227
#define IDS_CHG_KEPT_GLOBAL_1          3228
#define IDS_CHG_KEPT_GLOBAL_N          3229
#define IDS_CHG_KEPT_BOTH_1            3230
#define IDS_CHG_KEPT_BOTH_N            3231
#define IDS_CHG_CONFIRMED_1            3232
#define IDS_CHG_CONFIRMED_N            3233
#define IDS_CHG_RESTORED_1             3234
#define IDS_CHG_RESTORED_N             3235
#define IDS_CHG_LATER_1                3236
#define IDS_CHG_LATER_N                3237
#define IDS_CHG_ERRORS_1               3238
#define IDS_CHG_ERRORS_N               3239
#define IDS_CHG_NOT_CARRIED_LOCAL_1    3240
#define IDS_CHG_NOT_CARRIED_LOCAL_N    3241
#define IDS_CHG_NOT_CARRIED_GLOBAL_1   3242
#define IDS_CHG_NOT_CARRIED_GLOBAL_N   3243
#define IDS_LOG_ACTION_FAILED          3244
#define IDS_LOG_PROFILE_WARNING        3245
#define IDS_LOG_QUESTIONS_1_1          3246
#define IDS_LOG_QUESTIONS_1_N          3247
#define IDS_LOG_QUESTIONS_N_1          3248
#define IDS_LOG_QUESTIONS_N_N          3249
#define IDS_LOG_QUESTIONS_NOT_SHOWN    3250
#define IDS_LOG_QUESTIONS_GONE         3251
#define IDS_LOG_SYNC_STARTED           3252
#define IDS_LOG_LINK_FAILED            3253
#define IDS_LOG_SYNC_DONE              3254
#define IDS_LOG_SYNC_FAILED            3255
#define IDS_LOG_RUN_ENDED_1            3256
#define IDS_LOG_RUN_ENDED_N            3257
/* starting with Windows (tray_dialogs.c, tray.c) */
#define IDS_LOGON_ON_FAILED            3258
#define IDS_LOGON_OFF_FAILED           3259
#define IDS_LOG_LOGON_ON_FAILED        3260
#define IDS_LOG_LOGON_OFF_FAILED       3261
#define IDS_LOG_LOGON_ON               3262
#define IDS_LOG_LOGON_ON_ALL           3263
#define IDS_LOG_LOGON_OFF              3264
#define IDS_LOG_LOGON_OFF_USER         3265
#define IDS_LOG_LOGON_SKIPPED          3266
/* ---- end of the strings the code formats ---- */


#endif
