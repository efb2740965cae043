#include "bkcheck/manifest_db.h"
