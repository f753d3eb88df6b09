/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_VERSION_H
#define _HEY_VERSION_H

#define HEY_VERSION "0.1.0"

#endif /* _HEY_VERSION_H */
