// PrDiMP tracking of one stack, for scripts and cluster jobs.
// Argument: image=FILE boxes=[x,y,w,h;x,y,w,h] output=DIR [first_frame=A last_frame=B channel=C
//           axis=auto|time|z direction=both|forward|backward model=DIR device=auto|cpu|gpu]
// Frames count from 1 (as ImageJ's slider); last_frame=0 (the default) is the last frame. A box
// x,y,w,h lies on first_frame; x,y,w,h@F puts it on frame F (tracked from there both ways).
// Writes DIR/NAME_tracks.csv (the Results table), DIR/NAME_tracked.tif (annotated RGB stack) and
// DIR/NAME_confidence.png (confidence over time, uncertain and lost frames marked).
//   ./prdimp macro macros/track_stack.ijm "image=cells.tif boxes=[120,80,30,28] output=out"

arg = getArgument();
image = argValue(arg, "image", "");
boxes = argValue(arg, "boxes", "");
output = argValue(arg, "output", "");
if (image == "" || boxes == "" || output == "")
    exit("track_stack.ijm needs image=FILE boxes=[x,y,w,h;...] output=DIR");
if (!File.exists(image))
    exit("image " + image + " does not exist");
File.makeDirectory(output);
setBatchMode(true);
open(image);
id = getImageID();
title = getTitle();
stem = File.nameWithoutExtension;
run("PrDiMP Track", "targets=boxes boxes=[" + boxes + "] first_frame=" + argValue(arg, "first_frame", "1")
    + " last_frame=" + argValue(arg, "last_frame", "0") + " channel=" + argValue(arg, "channel", "1")
    + " axis=" + argValue(arg, "axis", "auto") + " direction=" + argValue(arg, "direction", "both")
    + " model=[" + argValue(arg, "model", "bundled") + "] device="
    + argValue(arg, "device", "auto") + " results_table overlay confidence_plot annotated_stack");
saveAs("Results", output + File.separator + stem + "_tracks.csv");
selectImage(stem + " tracked");
saveAs("Tiff", output + File.separator + stem + "_tracked.tif");
close();
selectImage("PrDiMP confidence: " + title);
saveAs("PNG", output + File.separator + stem + "_confidence.png");
close();
print("track_stack: " + nResults + " rows; wrote " + stem + "_tracks.csv, " + stem + "_tracked.tif, " + stem + "_confidence.png in " + output);

function argValue(options, key, default) {
    return call("ij.Macro.getValue", options, key, default);
}
