package dev.quantfleet.engine.report;

/** Builds an HTML table whose cell texts are escaped; {@link #rawCell} takes markup that is already safe. */
final class HtmlTable {

    private final StringBuilder html = new StringBuilder();
    private boolean rowOpen;

    HtmlTable(String cssClass, String... headers) {
        html.append("<table class=\"").append(Html.escape(cssClass)).append("\">\n<thead><tr>");
        for (String header : headers) {
            html.append("<th>").append(Html.escape(header)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
    }

    HtmlTable row(String cssClass) {
        closeRow();
        html.append(cssClass == null ? "<tr>" : "<tr class=\"" + Html.escape(cssClass) + "\">");
        rowOpen = true;
        return this;
    }

    HtmlTable row() {
        return row(null);
    }

    HtmlTable cell(String text) {
        html.append("<td>").append(Html.escape(text)).append("</td>");
        return this;
    }

    HtmlTable numberCell(String text) {
        html.append("<td class=\"num\">").append(Html.escape(text)).append("</td>");
        return this;
    }

    HtmlTable rawCell(String safeHtml) {
        html.append("<td>").append(safeHtml).append("</td>");
        return this;
    }

    String build() {
        closeRow();
        return html + "</tbody>\n</table>\n";
    }

    private void closeRow() {
        if (rowOpen) {
            html.append("</tr>\n");
            rowOpen = false;
        }
    }
}
