using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace EventLink.AspNetCore.Explorer;

/// <summary>The explorer's page frame: HTML-encoded text only, no script, no external resource; one column below 640 px.</summary>
internal sealed class ExplorerHtml(string prefix, EventLinkExplorerOptions options)
{
    public string Prefix { get; } = prefix.TrimEnd('/');

    public EventLinkExplorerOptions Options { get; } = options;

    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string Q(string? value) => Uri.EscapeDataString(value ?? string.Empty);

    /// <summary>A time in the configured zone, labelled with it, with the exact instant in <c>datetime</c>.</summary>
    public string Time(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Options.TimeZone);
        var zone = Options.TimeZone == TimeZoneInfo.Utc ? "UTC" : $"{Options.TimeZone.Id} (UTC{local:zzz})";
        return $"<time datetime=\"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">{local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} <abbr class=\"zone\" title=\"time zone\">{E(zone)}</abbr></time>";
    }

    public static string Badge(string source) => $"<span class=\"badge\" data-badge=\"{E(source.Split('_')[0])}\">{E(source)}</span>";

    public IResult Page(string title, string current, StringBuilder body, string? query = null)
    {
        var html = new StringBuilder(body.Length + 4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · EventLink</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\"><p class=\"brand\"><a href=\"").Append(E(Prefix)).Append("/\">EventLink</a></p>")
            .Append("<nav aria-label=\"Explorer\"><ul>");
        foreach (var (path, label) in new[] { ("/", "Profiles"), ("/quarantine", "Quarantine"), ("/coverage", "Coverage"), ("/drift", "Schema drift") })
        {
            html.Append("<li><a href=\"").Append(E(Prefix + path)).Append('"').Append(label == current ? " aria-current=\"page\"" : string.Empty).Append('>').Append(label).Append("</a></li>");
        }

        html.Append("</ul></nav><form method=\"get\" action=\"").Append(E(Prefix)).Append("/\" role=\"search\" class=\"search\">")
            .Append("<label for=\"q\">Find a profile by any identity</label><div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"e-mail, user id, customer id…\" value=\"")
            .Append(E(query)).Append("\"><button type=\"submit\">Find</button></div></form></header><main id=\"main\">")
            .Append(body).Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private const string Css = """
        :root{--ink:#1d2433;--muted:#5b6475;--line:#dfe3ea;--bg:#f6f7fb;--card:#fff;--accent:#2f4fc7;--warn:#8a4b00;--warnbg:#fff4e0}
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
        a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #9db2ff;outline-offset:1px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:2}
        .top{background:#fff;border-bottom:1px solid var(--line);padding:12px 16px;display:flex;flex-wrap:wrap;gap:8px 24px;align-items:end}
        .brand{margin:0;font-weight:700;font-size:18px}.brand a{text-decoration:none;color:var(--ink)}
        nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:0;padding:0}nav a[aria-current]{font-weight:700;color:var(--ink)}
        .search{flex:1 1 280px;max-width:520px}.search label{display:block;font-size:13px;color:var(--muted)}.row{display:flex;gap:8px}
        input,select{font:inherit;padding:7px 10px;border:1px solid #b8bfcc;border-radius:8px;min-width:0;background:#fff}input{flex:1}
        button{font:inherit;padding:7px 14px;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer}
        main{max-width:1080px;margin:0 auto;padding:18px 16px 48px}h1{font-size:22px;margin:4px 0 12px}h2{font-size:18px;margin:0 0 10px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px;margin-bottom:16px}
        .scroll{overflow-x:auto}table{width:100%;border-collapse:collapse}caption{text-align:left;color:var(--muted);font-size:13px;padding-bottom:6px}
        th,td{text-align:left;padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:13px;color:var(--muted);font-weight:600}
        td.value{font-weight:600;word-break:break-word}.muted{color:var(--muted)}.empty{color:var(--muted);font-style:italic}
        .conflict{background:var(--warnbg)}.conflict-label{display:inline-block;margin-top:4px;color:var(--warn);font-size:13px;font-weight:600}
        .others{margin:4px 0 0;padding-left:18px;font-size:14px;color:var(--muted)}
        .badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:13px;font-weight:600;background:#eef0f5;color:#3a4354}
        .identities{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:0 0 12px}.identities li{background:#eef2ff;border-radius:8px;padding:2px 8px;font-size:14px;word-break:break-all}
        .filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin-bottom:12px}.filters label{display:flex;flex-direction:column;font-size:13px;color:var(--muted)}
        .timeline{list-style:none;margin:0;padding:0}.timeline li{display:grid;grid-template-columns:210px 110px 1fr;gap:4px 12px;padding:8px 0;border-bottom:1px solid var(--line)}
        .event{font-weight:600;word-break:break-word}.record{grid-column:3;font-size:13px;color:var(--muted);word-break:break-all}
        .pager{display:flex;gap:12px;align-items:center;margin-top:12px;flex-wrap:wrap}.zone{text-decoration:none;color:var(--muted);font-size:12px}
        @media (max-width:640px){#attributes thead{position:absolute;left:-9999px}#attributes,#attributes tbody,#attributes tr,#attributes th,#attributes td{display:block;width:auto}
        #attributes tr{border-bottom:1px solid var(--line);padding:6px 0}#attributes th,#attributes td{border:0;padding:1px 0}#attributes caption{display:block}
        .timeline li{grid-template-columns:1fr}.record{grid-column:1}main{padding:12px 10px 40px}th,td{padding:6px 5px}.top{padding:10px}}
        """;
}
