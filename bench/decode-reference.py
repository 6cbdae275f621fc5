"""GDAL's side of `npm run bench:decode`: decodes the bands the analysis reads, whole, and prints
the wall time. Per-band files: one ReadAsArray per file; a multi-band file: one ReadAsArray of
those bands. Usage: python3 decode-reference.py FOLDER|FILE BAND,BAND,...
"""
import json, os, sys, time
from osgeo import gdal

gdal.UseExceptions()
path, bands = sys.argv[1], sys.argv[2].split(",")
start = time.perf_counter()
if os.path.isdir(path):
    pixels = sum(gdal.Open(f"{path}/{band}.tif").ReadAsArray().size for band in bands)
else:
    ds = gdal.Open(path)
    numbers = {ds.GetRasterBand(i).GetDescription(): i for i in range(1, ds.RasterCount + 1)}
    pixels = ds.ReadAsArray(band_list=[numbers[band] for band in bands]).size
print(json.dumps({"wallMs": (time.perf_counter() - start) * 1000, "samples": pixels}))
