// The Diagnosis data type moved to core/diagnosis.h (the engine carries it
// without depending on diagnose/); this forwarding header keeps includes working.
#pragma once

#include "core/diagnosis.h"
