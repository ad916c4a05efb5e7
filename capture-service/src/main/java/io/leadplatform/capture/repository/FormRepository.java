package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Form;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class FormRepository implements PanacheRepositoryBase<Form, UUID> {

    public Uni<Form> findByKey(String formKey) {
        return find("formKey", formKey).firstResult();
    }
}
