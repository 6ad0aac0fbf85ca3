/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* The version of pstsync, shown by `pstsync version` and the tray's About box. */
#ifndef PSTSYNC_VERSION_H
#define PSTSYNC_VERSION_H

#define PSTSYNC_VERSION "0.1.0"
#define PSTSYNC_VERSION_MAJOR 0
#define PSTSYNC_VERSION_MINOR 1
#define PSTSYNC_VERSION_PATCH 0

#endif
