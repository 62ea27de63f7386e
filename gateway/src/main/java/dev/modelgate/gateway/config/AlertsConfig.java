package dev.modelgate.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * Where drift alerts go ({@code alerts:}).
 *
 * @param alertmanagerUrl        base URL of Alertmanager ({@code /api/v2/alerts} is appended); empty = none
 * @param webhooks               generic JSON webhooks
 * @param resendInterval         a firing alert is sent again this often (Alertmanager expires alerts not re-sent)
 * @param dashboardUrlTemplate   link put in every alert; {@code {model}} and {@code {variant}} are replaced
 */
public record AlertsConfig(String alertmanagerUrl, List<Webhook> webhooks, Duration resendInterval, String dashboardUrlTemplate) {

    public AlertsConfig {
        webhooks = List.copyOf(webhooks);
    }

    /** @param slack adds a Slack-compatible {@code text} field to the JSON */
    public record Webhook(String url, boolean slack) {}
}
