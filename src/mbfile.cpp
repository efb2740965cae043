#include "bkcheck/mbfile.h"
