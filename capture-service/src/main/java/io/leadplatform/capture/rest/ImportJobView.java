package io.leadplatform.capture.rest;

import io.leadplatform.capture.domain.ImportJob;

import java.time.Instant;
import java.util.UUID;

/** An import job and its progress: rowsRead = accepted + duplicates + errors once a batch committed. */
public record ImportJobView(UUID id, String listName, String channel, String campaign, String fileName, String state,
                            long rowsTotal, long rowsRead, long accepted, long duplicates, long errors, String detail,
                            Instant createdAt, Instant startedAt, Instant finishedAt, String errorsUrl) {

    public static ImportJobView of(ImportJob j) {
        return new ImportJobView(j.id, j.listName, j.channel, j.campaign, j.fileName, j.state, j.rowsTotal, j.rowsRead,
                j.accepted, j.duplicates, j.errors, j.detail, j.createdAt, j.startedAt, j.finishedAt,
                "/api/capture/imports/" + j.id + "/errors");
    }
}
