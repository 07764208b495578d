using System.Globalization;
using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace EventLink.AspNetCore.Tests.Explorer;

/// <summary>
/// The explorer in a real headless Chromium driven through WebDriver (Selenium with Debian's chromedriver): a support
/// agent signs in, finds Ada by e-mail, reads her attributes (a conflict between tools marked), pages her timeline and
/// filters it, on a desktop window and at 390 px; screenshots are kept under the test output.
/// </summary>
public sealed class ExplorerBrowserTests(ITestOutputHelper output)
{
    [BrowserFact]
    public async Task A_support_agent_finds_a_profile_pages_and_filters_its_timeline_in_a_real_browser()
    {
        Browser.IsInstalled.Should().BeTrue($"{Browser.ChromiumPath} and chromedriver are required here (CI=true or EVENTLINK_REQUIRE_BROWSER=1); .ci/run installs them");
        await using var host = await CollectorHost.StartAsync(
            TestAuthentication.AddTo,
            app =>
            {
                // The application's sign-in, as far as this test needs one: it sets the agent's cookie.
                app.MapGet("/test-signin", (Microsoft.AspNetCore.Http.HttpContext c) =>
                {
                    c.Response.Cookies.Append("test-user", "grace:support");
                    return "signed in";
                });
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapEventLinkExplorer("/eventlink", o =>
                {
                    o.AuthorizationPolicy = TestAuthentication.SupportPolicy;
                    o.PageSize = 5;
                });
            });
        foreach (var tool in new[] { "zendesk", "intercom", "stripe", "posthog", "hubspot" })
        {
            Presets.SourcePresets.TryGet(tool, out var preset).Should().BeTrue();
            foreach (var line in CollectorHost.Lines(tool))
            {
                await host.Link.IngestAsync(preset!.Read(line).Records);
            }
        }

        var ada = await host.Link.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        ada.Should().NotBeNull();
        var events = new List<TimelineEvent>();
        await foreach (var e in host.Link.GetTimelineAsync(ada!.Id))
        {
            events.Add(e);
        }

        events.Count.Should().BeGreaterThan(10, "the fixtures give Ada a timeline of several pages");

        using var driver = Start();
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));

        // Anonymous: refused. Then the agent's sign-in (the test scheme's cookie) and the search.
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "eventlink/"));
        driver.PageSource.Should().NotContain("Find a profile");
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "test-signin"));
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "eventlink/"));
        var search = wait.Until(d => d.FindElement(By.Id("q")));
        search.SendKeys("ada@example.com");
        search.Submit();
        wait.Until(d => d.FindElements(By.Id("profile")).Count > 0);
        driver.Url.Should().Contain($"/eventlink/profiles/{ada.Id}");

        // Attributes on top, with their source, and the conflict between tools shown as such.
        var name = driver.FindElement(By.CssSelector("#attributes tr[data-attribute='name']"));
        name.FindElement(By.CssSelector("td.value")).Text.Should().StartWith(ada["name"]!);
        name.GetAttribute("data-source").Should().Be(ada.GetAttribute("name")!.Source);
        var conflicts = driver.FindElements(By.CssSelector("#attributes tr[data-conflict='true']"));
        conflicts.Should().NotBeEmpty("Stripe, Intercom, HubSpot and Zendesk disagree on some of Ada's attributes");
        conflicts[0].Text.Should().Contain("Conflict: other tools say");
        driver.FindElement(By.CssSelector("#timeline li time abbr")).Text.Should().Be("UTC", "times are labelled with their zone");

        // The timeline: newest first, five a page, paged to the end.
        var expected = events.OrderByDescending(e => e.OccurredAt).Select(e => e.OccurredAt).ToList();
        var seen = new List<DateTimeOffset>();
        var pages = (expected.Count + 4) / 5;
        for (var page = 1; page <= pages; page++)
        {
            driver.FindElement(By.Id("page-status")).Text.Should().Be($"Page {page} of {pages}");
            var items = Items(driver);
            items.Count.Should().Be(page < pages ? 5 : expected.Count - (5 * (pages - 1)));
            seen.AddRange(items.Select(i => i.At));
            if (page < pages)
            {
                driver.FindElement(By.Id("older")).Click();
                var next = page + 1;
                wait.Until(d => d.FindElement(By.Id("page-status")).Text == $"Page {next} of {pages}");
            }
        }

        seen.Should().Equal(expected, "every event appears once, newest first, across the pages");
        Screenshot(driver, "explorer-timeline-last-page.png");

        // Filter by source, then by record type.
        new SelectElement(driver.FindElement(By.Id("filter-source"))).SelectByValue("stripe");
        driver.FindElement(By.Id("apply-filters")).Click();
        wait.Until(d => d.Url.Contains("source=stripe", StringComparison.Ordinal));
        var stripe = Items(driver);
        stripe.Should().NotBeEmpty().And.OnlyContain(i => i.Source == "stripe");
        driver.FindElement(By.Id("timeline-count")).Text.Should().StartWith(events.Count(e => e.Source == "stripe").ToString(CultureInfo.InvariantCulture) + " events");
        var type = events.First(e => e.Source == "stripe").RecordType;
        new SelectElement(driver.FindElement(By.Id("filter-type"))).SelectByValue(type);
        driver.FindElement(By.Id("apply-filters")).Click();
        wait.Until(d => d.Url.Contains("type=" + type, StringComparison.Ordinal));
        Items(driver).Should().OnlyContain(i => i.Source == "stripe" && i.RecordType == type);
        Screenshot(driver, "explorer-profile-filtered.png");

        // At 390 px wide the page fits: no horizontal scrolling of the page itself.
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, $"eventlink/profiles/{ada.Id}"));
        driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        var width = Convert.ToInt64(((IJavaScriptExecutor)driver).ExecuteScript("return document.documentElement.scrollWidth;"), CultureInfo.InvariantCulture);
        var viewport = Convert.ToInt64(((IJavaScriptExecutor)driver).ExecuteScript("return window.innerWidth;"), CultureInfo.InvariantCulture);
        width.Should().BeLessThanOrEqualTo(viewport, "the explorer is usable at 390 px without scrolling sideways");
        Screenshot(driver, "explorer-profile-390px.png");

        foreach (var view in new[] { "quarantine", "coverage", "drift" })
        {
            driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "eventlink/" + view));
            driver.FindElement(By.CssSelector("nav a[aria-current='page']")).Text.Should().NotBeEmpty();
            driver.FindElement(By.Id(view)).Should().NotBeNull();
            if (view == "coverage")
            {
                driver.FindElements(By.CssSelector("#coverage tr[data-record-type]")).Should().NotBeEmpty();
            }
        }
    }

    private static List<(string Source, string RecordType, DateTimeOffset At)> Items(IWebDriver driver) =>
        [.. driver.FindElements(By.CssSelector("#timeline li[data-source]")).Select(li => (
            li.GetAttribute("data-source")!,
            li.GetAttribute("data-record-type")!,
            DateTimeOffset.Parse(li.GetAttribute("data-occurred-at")!, CultureInfo.InvariantCulture)))];

    private static ChromeDriver Start()
    {
        var service = ChromeDriverService.CreateDefaultService(Browser.DriverDirectory, Browser.DriverFile);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser.ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private void Screenshot(IWebDriver driver, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(path);
        new FileInfo(path).Length.Should().BeGreaterThan(5_000);
        output.WriteLine($"screenshot: {path}");
    }
}
