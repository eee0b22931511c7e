"""Writes small generated time-lapses for the cluster tests: INPUT_DIR/well-N.tif (the project's procedural
generator), INPUT_DIR/../boxes.csv (first-frame ground truth boxes, columns stack,x,y,w,h) and
INPUT_DIR/../truth.csv (stack,target,frame,x,y,w,h for every frame). With --broken, also a one-frame stack
with a box (its job must fail with a one-line reason).

usage: python3 make_stacks.py INPUT_DIR --stacks 3 [--frames 16] [--broken]
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input_dir")
    ap.add_argument("--stacks", type=int, default=3)
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--broken", action="store_true")
    a = ap.parse_args()
    inp = os.path.abspath(a.input_dir)
    os.makedirs(inp, exist_ok=True)
    parent = os.path.dirname(inp)
    boxes, truth = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, a.stacks + 1):
            name = "well-%d" % n
            subprocess.run([sys.executable, "-m", "prdimp.procedural", tmp, "--preset", "nuclei", "--frames", str(a.frames),
                            "--size", "128", "128", "--objects", "2", "--seed", str(n), "--name", name],
                           cwd=MODELS, check=True, stdout=subprocess.DEVNULL)
            os.replace(os.path.join(tmp, name + ".tif"), os.path.join(inp, name + ".tif"))
            with open(os.path.join(tmp, name + ".csv"), newline="") as f:
                rows = list(csv.DictReader(f))
            ids = sorted({int(r["track_id"]) for r in rows})
            for r in rows:
                target = ids.index(int(r["track_id"]))  # targets numbered in the order of their boxes.csv rows
                row = [name + ".tif", target, int(r["frame"])] + [r[k] for k in ("x", "y", "w", "h")]
                truth.append(row)
                if int(r["frame"]) == 0:
                    boxes.append((target, row))
    if a.broken:
        # a single frame: the tracker refuses it with one line (a time-lapse needs at least 2 frames)
        subprocess.run([sys.executable, "-m", "prdimp.procedural", inp, "--preset", "nuclei", "--frames", "1", "--size", "64",
                        "64", "--objects", "1", "--seed", "9", "--name", "broken"], cwd=MODELS, check=True,
                       stdout=subprocess.DEVNULL)
        os.remove(os.path.join(inp, "broken.csv"))
        boxes.append((0, ["broken.tif", 0, 0, "20", "20", "16", "16"]))
    with open(os.path.join(parent, "boxes.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["stack", "x", "y", "w", "h"])
        for _, row in sorted(boxes, key=lambda b: (b[1][0], b[0])):
            w.writerow([row[0]] + row[3:])
    with open(os.path.join(parent, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["stack", "target", "frame", "x", "y", "w", "h"])
        w.writerows(truth)
    print("make_stacks: %d stack(s) of %d frames (2 nuclei each)%s in %s" % (a.stacks, a.frames,
          " and broken.tif (1 frame)" if a.broken else "", inp))


if __name__ == "__main__":
    main()
