"""Reference for `npm run bench`: the same job in GDAL + numpy, the stack most kelp workflows use.

Reads the bands whole (GDAL decodes them in C): from per-band GeoTIFFs (a folder; 20 m bands
upsampled by nearest neighbour), or from one multi-band GeoTIFF whose band descriptions name the
bands (one ReadAsArray of the bands needed). Applies the same masks and the KD threshold, and
labels 8-connected beds with scipy when it is installed. Prints one JSON line: wall time and peak RSS.
Run with Debian's python3 (python3-gdal, python3-numpy). Usage: python3 reference.py FOLDER|FILE
"""
import json, os, resource, sys, time
from osgeo import gdal
import numpy as np

gdal.UseExceptions()
path = sys.argv[1]
start = time.perf_counter()
NEEDED = ["B03", "B04", "B06", "B08", "B11", "SCL"]

def up(a):
    return np.repeat(np.repeat(a, 2, axis=0), 2, axis=1)

if os.path.isdir(path):
    def read(band):
        return gdal.Open(f"{path}/{band}.tif").ReadAsArray()
    raw = {band: read(band) for band in NEEDED}
    for band in ("B06", "B11", "SCL"):
        raw[band] = up(raw[band])
else:
    ds = gdal.Open(path)
    numbers = {ds.GetRasterBand(i).GetDescription(): i for i in range(1, ds.RasterCount + 1)}
    stack = ds.ReadAsArray(band_list=[numbers[band] for band in NEEDED])
    raw = dict(zip(NEEDED, stack))

scale, offset = 1e-4, -0.1  # processing baseline 04.00: (DN - 1000) / 10000
b03 = raw["B03"].astype(np.float32) * scale + offset
b04 = raw["B04"].astype(np.float32) * scale + offset
b08 = raw["B08"]  # only for nodata
b06 = raw["B06"].astype(np.float32) * scale + offset
b11 = raw["B11"].astype(np.float32) * scale + offset
scl = raw["SCL"]
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
