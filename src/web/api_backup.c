/* api_backup.c - when the last backup was taken, for administrators and
 * monitoring (backups themselves are taken by `khuyencong backup`). */
#include "store/restore.h"
#include "web/handlers.h"

void h_api_backup_status(struct req *r, struct resp *w)
{
	struct err e;
	char last[64];
	int version;
	if (store_last_backup(r->st, last, sizeof last, &e) < 0 ||
	    (version = store_schema_version(r->st, &e)) < 0) {
		reply_err(r, w, &e);
		return;
	}
	json_t *o = json_pack("{s:i,s:i}", "schema_version", version, "schema_latest",
	                      store_schema_latest());
	json_object_set_new(o, "last_backup", last[0] ? json_string(last) : json_null());
	reply_json(w, 200, o);
}
