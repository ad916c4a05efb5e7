package io.leadplatform.capture.domain;

import java.util.UUID;

/** Why one row of an import was not taken (invalid field or duplicate). */
public class ImportError {
    public UUID id;
    public UUID jobId;
    public long rowNo;

    public String field;
    public String message;
}
