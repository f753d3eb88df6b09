// SPDX-License-Identifier: GPL-2.0
/*
 * hey: Happy Eyeballs connection racing inside the kernel.
 *
 * Module init and exit only; each object lives in its own file.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/tcp.h>
#include <uapi/linux/hey.h>

#include "netlink.h"
#include "network.h"
#include "paths.h"
#include "pernet.h"
#include "race.h"
#include "ulp.h"
#include "version.h"

static int __init hey_mod_init(void)
{
	int ret;

	ret = hey_race_init();
	if (ret)
		return ret;
	ret = hey_pernet_register();
	if (ret)
		goto err_pernet;
	ret = hey_network_init();
	if (ret)
		goto err_network;
	ret = hey_paths_init();
	if (ret)
		goto err_paths;
	ret = hey_genl_register();
	if (ret)
		goto err_genl;
	/* Last: from here on applications can attach. */
	ret = hey_ulp_register();
	if (ret)
		goto err_ulp;

	pr_info("hey " HEY_VERSION " loaded\n");
	return 0;

err_ulp:
	hey_genl_unregister();
err_genl:
	hey_paths_exit();
err_paths:
	hey_network_exit();
err_network:
	hey_pernet_unregister();
err_pernet:
	hey_race_exit();
	return ret;
}

static void __exit hey_mod_exit(void)
{
	hey_ulp_unregister();
	hey_genl_unregister();
	hey_paths_exit();
	hey_network_exit();
	hey_pernet_unregister();
	/* Drains work still queued by races that ended. */
	hey_race_exit();
	pr_info("hey " HEY_VERSION " unloaded\n");
}

module_init(hey_mod_init);
module_exit(hey_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Happy Eyeballs connection racing as a TCP ULP");
MODULE_AUTHOR("The hey authors");
MODULE_VERSION(HEY_VERSION);
MODULE_ALIAS_TCP_ULP(HEY_ULP_NAME);
MODULE_ALIAS_GENL_FAMILY(HEY_GENL_NAME);
