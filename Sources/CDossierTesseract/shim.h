#ifndef CDOSSIER_TESSERACT_SHIM_H
#define CDOSSIER_TESSERACT_SHIM_H

// Tesseract's C API and Leptonica (its image type, TIFF reading, clean-up of scans).
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>

// PNG and JPEG are decoded by libpng's simplified API and TurboJPEG rather than by Leptonica:
// Leptonica leaves libpng's and libjpeg's default message handlers in place, which print
// ("libpng error: Read Error", "Premature end of JPEG file") on stderr for a damaged file.
// Both of these report errors as values and print nothing.
#include <png.h>
#include <turbojpeg.h>

#endif
