package io.leadplatform.capture.rest;

import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The multipart form of POST /api/capture/imports. */
public class ImportUpload {

    @RestForm("file")
    @Schema(type = SchemaType.STRING, format = "binary", description = "the CSV (UTF-8, first line = header)")
    public FileUpload file;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(description = "JSON: {\"columns\":{\"email\":\"E-Mail\",\"firstName\":\"First name\",...},"
            + "\"extra\":{\"industry\":\"Industry\"},\"consents\":[{\"purpose\":\"newsletter\",\"column\":\"Opt-in\",\"textVersion\":\"v1\"}],"
            + "\"delimiter\":\",\"}")
    public String mapping;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(description = "the list's name: the imported leads' sourceRef")
    public String listName;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(description = "the channel the leads count as, e.g. purchased-list")
    public String channel;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    @Schema(description = "optional campaign (a mapped campaign column wins)")
    public String campaign;
}
