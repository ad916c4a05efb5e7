package io.leadplatform.capture.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A form marketing defined (web form, landing page, lead magnet, configurator). */
@Entity
@Table(name = "form")
public class Form extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "form_key", nullable = false, unique = true)
    public String formKey;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String channel;

    public String campaign;

    public String offer;

    @Column(name = "double_opt_in", nullable = false)
    public boolean doubleOptIn;

    @Column(name = "success_redirect")
    public String successRedirect;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
