// The clock moved to core/clock.h (every layer measures time); this
// forwarding header keeps branches that still include it building.
#pragma once

#include "core/clock.h"
