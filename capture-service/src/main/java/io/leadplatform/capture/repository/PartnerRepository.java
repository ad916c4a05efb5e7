package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Partner;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class PartnerRepository implements PanacheRepositoryBase<Partner, String> {
}
