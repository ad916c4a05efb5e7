package io.leadplatform.capture.repository;

import io.leadplatform.capture.domain.Form;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The form table on the reactive client (in the caller's transaction when given one). */
@ApplicationScoped
public class FormRepository {

    private static final String COLUMNS = """
            id, form_key, name, channel, campaign, offer, double_opt_in, success_redirect, created_at, updated_at, fields,
            consent_text, consent_version, consent_purposes, allowed_origins, offer_asset_ref, confirm_redirect,
            require_render_token, ip_limit_per_minute, form_limit_per_minute""";

    public Uni<Form> findByKey(SqlClient c, String formKey) {
        return Sql.one(c, "select " + COLUMNS + " from form where form_key = $1", Tuple.of(formKey), FormRepository::form);
    }

    public Uni<List<Form>> findByIds(SqlClient c, Collection<UUID> ids) {
        return Sql.list(c, "select " + COLUMNS + " from form where id = any($1)", Tuple.of(ids.toArray(UUID[]::new)),
                FormRepository::form);
    }

    public Uni<List<Form>> listAll(SqlClient c) {
        return Sql.list(c, "select " + COLUMNS + " from form order by form_key", Tuple.tuple(), FormRepository::form);
    }

    public Uni<Form> insert(SqlClient c, Form f) {
        return c.preparedQuery("insert into form (" + COLUMNS + """
                        ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)""")
                .execute(values(f)).replaceWith(f);
    }

    public Uni<Form> update(SqlClient c, Form f) {
        return c.preparedQuery("""
                        update form set form_key = $2, name = $3, channel = $4, campaign = $5, offer = $6, double_opt_in = $7,
                            success_redirect = $8, created_at = $9, updated_at = $10, fields = $11, consent_text = $12,
                            consent_version = $13, consent_purposes = $14, allowed_origins = $15, offer_asset_ref = $16,
                            confirm_redirect = $17, require_render_token = $18, ip_limit_per_minute = $19,
                            form_limit_per_minute = $20
                        where id = $1""")
                .execute(values(f)).replaceWith(f);
    }

    private static Tuple values(Form f) {
        return Sql.params(f.id, f.formKey, f.name, f.channel, f.campaign, f.offer, f.doubleOptIn, f.successRedirect,
                Sql.at(f.createdAt), Sql.at(f.updatedAt), JsonText.write(f.fields), f.consentText, f.consentVersion,
                JsonText.write(f.consentPurposes), JsonText.write(f.allowedOrigins), f.offerAssetRef, f.confirmRedirect,
                f.requireRenderToken, f.ipLimitPerMinute, f.formLimitPerMinute);
    }

    private static Form form(Row r) {
        Form f = new Form();
        f.id = r.getUUID("id");
        f.formKey = r.getString("form_key");
        f.name = r.getString("name");
        f.channel = r.getString("channel");
        f.campaign = r.getString("campaign");
        f.offer = r.getString("offer");
        f.doubleOptIn = r.getBoolean("double_opt_in");
        f.successRedirect = r.getString("success_redirect");
        f.createdAt = Sql.instant(r, "created_at");
        f.updatedAt = Sql.instant(r, "updated_at");
        f.fields = new ArrayList<>(JsonText.read(r.getString("fields"), JsonText.FORM_FIELDS));
        f.consentText = r.getString("consent_text");
        f.consentVersion = r.getString("consent_version");
        f.consentPurposes = new ArrayList<>(JsonText.read(r.getString("consent_purposes"), JsonText.STRINGS));
        f.allowedOrigins = new ArrayList<>(JsonText.read(r.getString("allowed_origins"), JsonText.STRINGS));
        f.offerAssetRef = r.getString("offer_asset_ref");
        f.confirmRedirect = r.getString("confirm_redirect");
        f.requireRenderToken = r.getBoolean("require_render_token");
        f.ipLimitPerMinute = r.getInteger("ip_limit_per_minute");
        f.formLimitPerMinute = r.getInteger("form_limit_per_minute");
        return f;
    }
}
