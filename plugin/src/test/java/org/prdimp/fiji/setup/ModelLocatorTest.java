package org.prdimp.fiji.setup;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The note that says a run uses the untrained compact model. */
class ModelLocatorTest {

    @Test
    void untrainedModelIsNamedAndPointsToTheTrainedOneWhenItIsThere(@TempDir Path models) throws Exception {
        Path untrained = Files.createDirectories(models.resolve(ModelLocator.UNTRAINED));
        String alone = ModelLocator.note(untrained);
        assertTrue(alone.contains("untrained") && alone.contains("is not there"), alone);

        Path trained = Files.createDirectories(models.resolve(ModelLocator.DEFAULT));
        String chosen = ModelLocator.note(untrained);
        assertTrue(chosen.contains("untrained") && chosen.contains(trained.toString()) && !chosen.contains("is not there"),
                chosen);
        assertNull(ModelLocator.note(trained));
    }
}
