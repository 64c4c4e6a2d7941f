#!/usr/bin/env python3
"""Stacks engine_sweep's PGM probe strips into one PNG, 3x enlarged, in the order given:
    strips_to_png.py OUT.png DIR/0_*.pgm DIR/1_*.pgm ...
Standard library only (the GPU machines and Debian 12 both have it). The figures of
docs/reproduction.md marked "H100" were made with it."""
import sys, zlib, struct
def read_pgm(p):
    d=open(p,'rb').read()
    parts=d.split(b'\n',3)
    w,h=map(int,parts[1].split()); return w,h,parts[3]
def write_png(p,w,h,rows):
    raw=b''.join(b'\x00'+bytes(r) for r in rows)
    def chunk(t,data): return struct.pack('>I',len(data))+t+data+struct.pack('>I',zlib.crc32(t+data)&0xffffffff)
    open(p,'wb').write(b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',w,h,8,0,0,0,0))+chunk(b'IDAT',zlib.compress(raw,9))+chunk(b'IEND',b''))
if len(sys.argv) < 3:
    sys.exit(__doc__)
out=sys.argv[1]; files=sys.argv[2:]; s=3
rows=[]
for f in files:
    w,h,px=read_pgm(f)
    for y in range(h):
        r=px[y*w:(y+1)*w]
        line=[v for v in r for _ in range(s)]
        for _ in range(s): rows.append(line)
    for _ in range(6): rows.append([128]*(w*s))
W=max(len(r) for r in rows)
rows=[r+[128]*(W-len(r)) for r in rows]
write_png(out,W,len(rows),rows)
