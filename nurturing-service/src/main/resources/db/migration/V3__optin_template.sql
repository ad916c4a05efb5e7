-- the double opt-in confirmation (transactional: no consent, caps or windows); marketing may edit its wording
insert into email_template (id, name, subject, html, text_body, transactional, updated_at, updated_by)
values ('optin-confirmation', 'Double opt-in confirmation', 'Please confirm your subscription',
        '<!doctype html><html><body><p>Hello {lead.firstName},</p><p>please confirm that you want to hear from us:</p><p><a href="{confirmUrl}">Confirm my subscription</a></p><p>The link is valid until {expiresAt}. If you did not sign up, ignore this e-mail: you will not hear from us again.</p></body></html>',
        'Hello {lead.firstName}, please confirm that you want to hear from us: {confirmUrl} (valid until {expiresAt}). If you did not sign up, ignore this e-mail.',
        true, now(), 'migration')
on conflict (id) do nothing;
