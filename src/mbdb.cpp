#include "bkcheck/mbdb.h"
