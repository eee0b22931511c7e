package org.prdimp.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;

import org.junit.jupiter.api.Test;

import org.prdimp.fiji.engine.Box;
import org.prdimp.fiji.run.TrackingException;

/** Only area ROIs become boxes: points and lines are refused with one clear line. */
class RoiShapesTest {
    @Test
    void areaRoisBecomeTheirBounds() throws TrackingException {
        Box b = InitialTargets.bounds(new OvalRoi(10, 20, 30, 40));
        assertEquals(10, b.x, 1e-9);
        assertEquals(20, b.y, 1e-9);
        assertEquals(30, b.w, 1e-9);
        assertEquals(40, b.h, 1e-9);
        Box p = InitialTargets.bounds(new PolygonRoi(new int[] {5, 25, 15}, new int[] {5, 5, 30}, 3, Roi.POLYGON));
        assertEquals(20, p.w, 1e-9);
        assertEquals(25, p.h, 1e-9);
    }

    @Test
    void multiPointRoisAreRefused() {
        PointRoi points = new PointRoi(new int[] {10, 60, 90}, new int[] {10, 50, 20}, 3);
        TrackingException e = assertThrows(TrackingException.class, () -> InitialTargets.bounds(points));
        assertTrue(e.getMessage().contains("is a point ROI (3 point(s)), not an area around a target"), e.getMessage());
    }

    @Test
    void lineRoisAreRefused() {
        Line line = new Line(10, 10, 80, 60);
        line.setName("cell 1");
        TrackingException e = assertThrows(TrackingException.class, () -> InitialTargets.bounds(line));
        assertTrue(e.getMessage().startsWith("the ROI 'cell 1' is a line ROI, not an area"), e.getMessage());
        PolygonRoi polyline = new PolygonRoi(new int[] {5, 25, 15}, new int[] {5, 5, 30}, 3, Roi.POLYLINE);
        assertThrows(TrackingException.class, () -> InitialTargets.bounds(polyline));
    }
}
