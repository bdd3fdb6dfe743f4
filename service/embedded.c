/*
 * embedded.c — lookup of the files compiled into the binary (see embedded.h).
 */
#include "embedded.h"

#include <string.h>

const struct embedded_file *embedded_asset(const char *name)
{
	for (size_t i = 0; i < thidua_assets_count; i++)
		if (strcmp(thidua_assets[i].name, name) == 0)
			return &thidua_assets[i];
	return NULL;
}
