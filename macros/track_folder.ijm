// PrDiMP batch tracking: every TIFF in a folder.
// Argument (keys as in ImageJ options; [brackets] around values with spaces):
//   input=DIR      folder of TIFF stacks (time-lapses, or z-stacks tracked through z)
//   output=DIR     where NAME_tracks.csv and NAME_tracked.tif go (created if absent)
//   boxes=FILE     optional CSV of initial boxes, header image,x,y,w,h: one row per target, in pixels
//                  in the first frame; without it, NAME.zip or NAME.roi beside each image (saved by
//                  the ROI Manager) gives the targets
//   model=DIR      optional model folder (default: the bundled model)
//   device=NAME    optional auto, cpu or gpu (default auto)
// A file that cannot be tracked (no initial boxes, unreadable or truncated, refused by PrDiMP Track)
// is logged and skipped; the last lines sum up: images tracked, images skipped with the reason.
// Runs headless:
//   ./prdimp macro macros/track_folder.ijm "input=cells output=tracks"
//   ImageJ-linux64 --headless --console -macro macros/track_folder.ijm "input=cells output=tracks"

arg = getArgument();
input = argValue(arg, "input", "");
output = argValue(arg, "output", "");
boxesFile = argValue(arg, "boxes", "");
model = argValue(arg, "model", "bundled");
device = argValue(arg, "device", "auto");
if (input == "" || output == "")
    exit("track_folder.ijm needs input=DIR output=DIR (and optionally boxes=FILE.csv model=DIR device=cpu)");
if (!File.isDirectory(input))
    exit("input folder " + input + " does not exist");
if (boxesFile != "" && !File.exists(boxesFile))
    exit("boxes file " + boxesFile + " does not exist");
File.makeDirectory(output);
if (!File.isDirectory(output))
    exit("cannot create the output folder " + output);
boxLines = newArray(0);
if (boxesFile != "")
    boxLines = split(File.openAsString(boxesFile), "\n");

setBatchMode(true);
files = getFileList(input);
Array.sort(files);
tracked = 0;
skipped = newArray(0);
for (i = 0; i < files.length; i++) {
    name = files[i];
    lower = toLowerCase(name);
    if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff"))
        continue;
    stem = substring(name, 0, lastIndexOf(name, "."));
    path = input + File.separator + name;
    targets = "";
    if (boxesFile != "") {
        boxes = boxesFor(boxLines, name);
        if (boxes != "")
            targets = "targets=boxes boxes=[" + boxes + "]";
    } else if (File.exists(input + File.separator + stem + ".zip")) {
        targets = "targets=roi_file roi_file=[" + input + File.separator + stem + ".zip]";
    } else if (File.exists(input + File.separator + stem + ".roi")) {
        targets = "targets=roi_file roi_file=[" + input + File.separator + stem + ".roi]";
    }
    if (targets == "") {
        skipped = skip(skipped, name, "no initial boxes (no row in the boxes CSV, no " + stem + ".zip or .roi)");
        continue;
    }
    problem = call("org.prdimp.fiji.io.FrameSources.problem", path);
    if (problem != "") {
        skipped = skip(skipped, name, problem);
        continue;
    }
    // one image in its own interpreter (eval): if PrDiMP Track or a save fails, only this image is skipped
    call("java.lang.System.setProperty", "prdimp.track_folder.done", "no");
    eval("open(\"" + escaped(path) + "\"); id = getImageID();"
        + " run(\"PrDiMP Track\", \"" + escaped(targets + " model=["
        + model + "] device=" + device + " results_table overlay annotated_stack") + "\");"
        + " saveAs(\"Results\", \"" + escaped(output + File.separator + stem + "_tracks.csv") + "\");"
        + " rows = nResults; selectImage(\"" + escaped(stem + " tracked") + "\");"
        + " saveAs(\"Tiff\", \"" + escaped(output + File.separator + stem + "_tracked.tif") + "\");"
        + " close(); selectImage(id); close();"
        + " call(\"java.lang.System.setProperty\", \"prdimp.track_folder.done\", \"\" + rows);");
    done = call("java.lang.System.getProperty", "prdimp.track_folder.done");
    reason = call("org.prdimp.fiji.command.MacroErrors.take"); // PrDiMP Track's message, cleared for the next image
    if (done == "no") {
        close("*");
        if (reason == "" || reason == "null")
            reason = "the macro failed on it (see the log above)";
        skipped = skip(skipped, name, reason);
        continue;
    }
    tracked++;
    print("tracked " + name + ": " + done + " rows -> " + stem + "_tracks.csv, " + stem + "_tracked.tif");
}
print("track_folder: " + tracked + " image(s) tracked, " + skipped.length + " skipped, into " + output);
for (k = 0; k < skipped.length; k++)
    print("  skipped " + skipped[k]);

// Logs a skipped image and adds "NAME: REASON" to the list.
function skip(list, image, reason) {
    print("skipped " + image + ": " + reason);
    return Array.concat(list, image + ": " + reason);
}

// A string for a double-quoted macro literal.
function escaped(text) {
    return replace(replace(text, "\\\\", "\\\\\\\\"), "\"", "\\\\\"");
}

// The boxes of one image from the CSV lines image,x,y,w,h, as x,y,w,h;x,y,w,h.
function boxesFor(lines, image) {
    out = "";
    for (k = 1; k < lines.length; k++) {
        cells = split(lines[k], ",");
        if (cells.length >= 5 && String.trim(cells[0]) == image) {
            box = String.trim(cells[1]) + "," + String.trim(cells[2]) + "," + String.trim(cells[3]) + "," + String.trim(cells[4]);
            if (out == "") out = box; else out = out + ";" + box;
        }
    }
    return out;
}

// The value of key in an options string (ImageJ's own parser: key=value or key=[value with spaces]).
function argValue(options, key, default) {
    return call("ij.Macro.getValue", options, key, default);
}
