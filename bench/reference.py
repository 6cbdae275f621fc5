"""Reference for `npm run bench`: the same job in GDAL + numpy, the stack most kelp workflows use.

Reads the same per-band GeoTIFFs whole (GDAL decodes them in C), upsamples the 20 m bands by
nearest neighbour, applies the same masks and the KD threshold, and labels 8-connected beds with
scipy when it is installed. Prints one JSON line: wall time and peak RSS.
Run with Debian's python3 (python3-gdal, python3-numpy).
"""
import json, resource, sys, time
from osgeo import gdal
import numpy as np

gdal.UseExceptions()
folder = sys.argv[1]
start = time.perf_counter()

def read(band):
    return gdal.Open(f"{folder}/{band}.tif").ReadAsArray()

def up(a):
    return np.repeat(np.repeat(a, 2, axis=0), 2, axis=1)

scale, offset = 1e-4, -0.1  # processing baseline 04.00: (DN - 1000) / 10000
b03 = read("B03").astype(np.float32) * scale + offset
b04 = read("B04").astype(np.float32) * scale + offset
b08 = read("B08")  # only for nodata
b06 = up(read("B06")).astype(np.float32) * scale + offset
b11 = up(read("B11")).astype(np.float32) * scale + offset
scl = up(read("SCL"))
nodata = (b08 == 0) | (scl == 0)
masked = np.isin(scl, [1, 3, 8, 9, 10, 11]) | ((b11 > 0.028) & ~(b03 - b11 >= 0.01)) | nodata
kelp = ((b06 - b04) >= 0.003216) & ~masked
beds = None
try:
    from scipy import ndimage
    _, beds = ndimage.label(kelp, structure=np.ones((3, 3)))
except ImportError:
    pass
wall_ms = (time.perf_counter() - start) * 1000
print(json.dumps({
    "wallMs": wall_ms,
    "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "kelpPixels": int(kelp.sum()),
    "beds": beds,
}))
