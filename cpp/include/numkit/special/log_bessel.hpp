// numkit/special/log_bessel.hpp -- the log-modified-Bessel family: log I_v (log_bessel_i.hpp) and
// log K_v (log_bessel_k.hpp), with their scaled forms, ratio and derivatives.
#pragma once

#include "numkit/special/log_bessel_i.hpp"
#include "numkit/special/log_bessel_k.hpp"
