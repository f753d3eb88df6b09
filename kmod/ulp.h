/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HEY_ULP_H
#define _HEY_ULP_H

int hey_ulp_register(void);
void hey_ulp_unregister(void);

#endif /* _HEY_ULP_H */
