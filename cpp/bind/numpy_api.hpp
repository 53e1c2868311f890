// bind/numpy_api.hpp -- the one place that includes NumPy's C API.
//
// Several translation units use the API; module.cpp defines NUMKIT_IMPORT_NUMPY before including
// this header and owns the API tables, every other file shares them (PY_ARRAY_UNIQUE_SYMBOL).
// Build against NumPy 2 with the 1.23 target so one wheel runs on NumPy 1.23 ... 2.x.
#pragma once

#define NPY_NO_DEPRECATED_API NPY_1_23_API_VERSION
#define NPY_TARGET_VERSION NPY_1_23_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL numkit_ARRAY_API
#define PY_UFUNC_UNIQUE_SYMBOL numkit_UFUNC_API
#if !defined(NUMKIT_IMPORT_NUMPY)
#define NO_IMPORT_ARRAY
#define NO_IMPORT_UFUNC
#endif

#include <Python.h>
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>
#include <numpy/npy_2_compat.h>
