using System.Globalization;

namespace EventLink.Samples.Quickstart.Data;

/// <summary>
/// Generates the ordinary customers around the featured one: leads who never buy, deals lost, subscribers who pay every
/// month, a few who churn, support conversations and tickets, plus outsiders no tool ever ties to a customer.
/// </summary>
internal sealed class Population
{
    public static readonly DateTimeOffset Start = new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2026, 4, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_firstNames =
    [
        "Ada", "Bilal", "Chloe", "Diego", "Emeka", "Farah", "Gustav", "Hana", "Ines", "Jonas", "Keiko", "Lars",
        "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sami", "Tomasz", "Uma", "Viktor", "Wen", "Yara",
    ];

    private static readonly string[] s_lastNames =
    [
        "Okafor", "Lindqvist", "Moreau", "Castillo", "Nakamura", "Haddad", "Brennan", "Kowalski", "Achterberg", "Silva",
        "Johansson", "Mehta", "Petrov", "Dubois", "Fischer", "Tanaka", "Osei", "Romero", "Novak", "Quinn",
    ];

    private static readonly (string Name, string Domain)[] s_companies =
    [
        ("Acme Robotics", "acmerobotics.com"), ("Bluefin Labs", "bluefinlabs.io"), ("Cobalt Health", "cobalthealth.com"),
        ("Driftwood Games", "driftwood.games"), ("Evergreen Logistics", "evergreenlog.com"), ("Fjord Analytics", "fjord.ai"),
        ("Granite Legal", "granitelegal.com"), ("Helix Bio", "helixbio.co"), ("Ironclad Security", "ironclad.dev"),
        ("Juniper Retail", "juniperretail.com"), ("Kestrel Travel", "kestrel.travel"), ("Lumen Energy", "lumen-energy.com"),
        ("Maple Finance", "maplefinance.com"), ("Nimbus Cloudworks", "nimbus.cloud"), ("Orchard Foods", "orchardfoods.com"),
        ("Pioneer Media", "pioneermedia.tv"), ("Quartz Education", "quartz.school"), ("Riverbank Insurance", "riverbank.co.uk"),
    ];

    private static readonly (string Name, long Cents)[] s_plans = [("starter", 2_900), ("team", 9_900), ("business", 29_900)];

    private static readonly string[] s_campaigns =
        ["Q1 product webinar invite", "Onboarding tips #1", "Customer newsletter", "Pricing update", "Case study: Fjord Analytics"];

    private static readonly string[] s_chatSubjects =
        ["Question about SSO", "Can we add more seats?", "Trial extension", "How do I export data?", "Pricing for nonprofits"];

    private static readonly string[] s_ticketSubjects =
        ["Invoice needs our VAT number", "CSV import fails on large files", "Webhook retries piling up", "Cannot reset password", "Card update not saving"];

    private static readonly TimeSpan[] s_offsets =
        [TimeSpan.FromHours(-8), TimeSpan.FromHours(-5), TimeSpan.Zero, TimeSpan.FromHours(1), new TimeSpan(5, 30, 0)];

    private readonly Random _random;
    private long _nextVid = 5_200;
    private long _nextLeadId = 42_000;
    private long _nextDealId = 8_802_000;
    private long _nextMarketoId = 9_880_000;
    private long _nextTicketId = 48_300;
    private long _nextZendeskEventId = 9_913_000;
    private long _nextConversationId = 215_480_000;

    public Population(Random random) => _random = random;

    /// <summary>Gets every person generated so far.</summary>
    public List<Person> People { get; } = [];

    /// <summary>Generates <paramref name="count"/> people and the events of their customer journey.</summary>
    public IEnumerable<SourceEvent> Customers(int count)
    {
        var firstNames = (string[])s_firstNames.Clone();
        var lastNames = (string[])s_lastNames.Clone();
        _random.Shuffle(firstNames);
        _random.Shuffle(lastNames);
        for (var i = 0; i < count; i++)
        {
            var (company, domain) = s_companies[i % s_companies.Length];
            var first = firstNames[i % firstNames.Length];
            var last = lastNames[i % lastNames.Length];
            var email = $"{first}.{last}@{domain}".ToLowerInvariant();
            var person = new Person(first, last, company, email, s_offsets[_random.Next(s_offsets.Length)]);
            People.Add(person);
            foreach (var sourceEvent in Journey(person))
            {
                yield return sourceEvent;
            }
        }
    }

    /// <summary>Generates people no merged record ever describes: their events stay in quarantine.</summary>
    public IEnumerable<SourceEvent> Outsiders()
    {
        string[] newsletterOnly = ["newsletter.fan@gmail.com", "j.doe@outlook.com", "info@smallshop.de", "marketing@agency.example", "kim.l@protonmail.com"];
        foreach (var email in newsletterOnly)
        {
            var leadId = _nextLeadId++;
            for (var n = _random.Next(1, 4); n > 0; n--)
            {
                yield return Marketo.EmailActivity(NextMarketoId(), leadId, email, "email.delivered", Pick(s_campaigns), RandomTime(Start, End));
            }
        }

        string[] strangers = ["press@techdaily.news", "recruiting@talentfirm.com", "support-forward@oldvendor.com"];
        string[] subjects = ["Interview request", "Partnership opportunity", "Fwd: your invoice"];
        for (var i = 0; i < strangers.Length; i++)
        {
            yield return Zendesk.TicketEvent(_nextZendeskEventId++, "ticket.created", _nextTicketId++, subjects[i], "new", strangers[i], "Unknown requester", RandomTime(Start, End), TimeSpan.Zero);
        }

        // A one-off purchase at checkout without a Stripe customer, by someone no other tool knows.
        yield return Stripe.Charge(StripeId("ch_3"), null, "guest.buyer@yahoo.com", 19_900, "Workshop ticket", RandomTime(Start, End));
    }

    private IEnumerable<SourceEvent> Journey(Person p)
    {
        var signup = RandomTime(Start, Start.AddDays(80));
        var vid = _nextVid++;
        var leadId = _nextLeadId++;

        // Marketing often reaches people before they become contacts; those activities wait in quarantine.
        for (var n = _random.Next(2, 6); n > 0; n--)
        {
            var at = RandomTime(signup.AddDays(-14), signup.AddDays(40));
            var type = Pick(["email.delivered", "email.delivered", "email.opened", "email.clicked"]);
            yield return Marketo.EmailActivity(NextMarketoId(), leadId, Vary(p.Email), type, Pick(s_campaigns), at);
        }

        if (Chance(0.2))
        {
            foreach (var e in Conversation(p, RandomTime(signup.AddDays(-5), signup.AddHours(-2))))
            {
                yield return e;
            }
        }

        yield return HubSpot.Contact(vid, Vary(p.Email), p, "lead", null, signup);

        var fate = _random.NextDouble();
        if (fate >= 0.8)
        {
            yield break; // a lead who never gets a deal
        }

        var won = fate < 0.7;
        var dealId = _nextDealId++;
        var plan = s_plans[_random.Next(s_plans.Length)];
        var dealName = $"{p.Company} — {Capitalize(plan.Name)} plan";
        var annual = plan.Cents * 12 / 100m;
        var at1 = signup.AddDays(_random.Next(2, 5));
        var at2 = at1.AddDays(_random.Next(3, 7));
        var close = at2.AddDays(_random.Next(4, 13));
        yield return HubSpot.DealStage(dealId, vid, dealName, "appointmentscheduled", annual, at1);
        yield return HubSpot.DealStage(dealId, vid, dealName, "presentationscheduled", annual, at2);
        yield return HubSpot.DealStage(dealId, vid, dealName, won ? "closedwon" : "closedlost", annual, close);
        if (!won)
        {
            yield break;
        }

        // Sales sometimes records a different plan than the one billed; the merge rule prefers Stripe's.
        var crmPlan = Chance(0.3) ? "business" : plan.Name;
        yield return HubSpot.Contact(vid, Vary(p.Email), p, "customer", crmPlan, close.AddMinutes(5));
        foreach (var e in Billing(p, plan, close.AddHours(_random.Next(1, 48))))
        {
            yield return e;
        }

        if (Chance(0.3))
        {
            foreach (var e in Conversation(p, RandomTime(close, End)))
            {
                yield return e;
            }
        }

        if (Chance(0.3))
        {
            foreach (var e in Ticket(p, RandomTime(close, End)))
            {
                yield return e;
            }
        }
    }

    private IEnumerable<SourceEvent> Billing(Person p, (string Name, long Cents) plan, DateTimeOffset created)
    {
        var customerId = StripeId("cus_");
        var subscriptionId = StripeId("sub_1");
        yield return Stripe.Customer(customerId, Vary(p.Email), p.Company, plan.Name, p.Company, created);
        yield return Stripe.SubscriptionEvent(StripeId("evt_1"), "customer.subscription.created", subscriptionId, customerId, plan.Name, plan.Cents, created);

        var churnMonth = Chance(0.2) ? _random.Next(1, 3) : int.MaxValue;
        var month = 0;
        for (var at = created.AddMinutes(1); at < End; at = at.AddMonths(1), month++)
        {
            var description = $"{Capitalize(plan.Name)} plan ({at.ToString("MMM", CultureInfo.InvariantCulture)})";
            if (month < churnMonth)
            {
                yield return Stripe.Charge(StripeId("ch_3"), customerId, p.Email, plan.Cents, description, at);
                continue;
            }

            yield return Stripe.Charge(StripeId("ch_3"), customerId, p.Email, plan.Cents, description, at, "card_declined");
            yield return Stripe.Charge(StripeId("ch_3"), customerId, p.Email, plan.Cents, description + " retry", at.AddDays(7), "card_declined");
            yield return Stripe.SubscriptionEvent(StripeId("evt_1"), "customer.subscription.deleted", subscriptionId, customerId, plan.Name, plan.Cents, at.AddDays(12));
            yield break;
        }
    }

    private IEnumerable<SourceEvent> Conversation(Person p, DateTimeOffset at)
    {
        var id = (_nextConversationId++).ToString(CultureInfo.InvariantCulture);
        var subject = Pick(s_chatSubjects);
        yield return Intercom.Conversation(NotificationId(), "conversation.user.created", id, Vary(p.Email), p.FullName, subject, at);
        yield return Intercom.Conversation(NotificationId(), "conversation.admin.replied", id, Vary(p.Email), p.FullName, subject, at.AddMinutes(_random.Next(10, 600)));
    }

    private IEnumerable<SourceEvent> Ticket(Person p, DateTimeOffset at)
    {
        var ticketId = _nextTicketId++;
        var subject = Pick(s_ticketSubjects);
        yield return Zendesk.TicketEvent(_nextZendeskEventId++, "ticket.created", ticketId, subject, "new", Vary(p.Email), p.FullName, at, p.UtcOffset);
        yield return Zendesk.TicketEvent(_nextZendeskEventId++, "ticket.comment_added", ticketId, subject, "pending", Vary(p.Email), p.FullName, at.AddHours(_random.Next(2, 20)), p.UtcOffset);
        yield return Zendesk.TicketEvent(_nextZendeskEventId++, "ticket.solved", ticketId, subject, "solved", Vary(p.Email), p.FullName, at.AddDays(_random.Next(1, 4)), p.UtcOffset);
    }

    /// <summary>Writes an email the way a careless tool might: capitalised, shouted, or padded with spaces.</summary>
    private string Vary(string email) => _random.Next(8) switch
    {
        0 => email.ToUpperInvariant(),
        1 => $" {email} ",
        2 => string.Join('.', email[..email.IndexOf('@', StringComparison.Ordinal)].Split('.').Select(Capitalize)) + "@" + Capitalize(email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..]),
        _ => email,
    };

    private DateTimeOffset RandomTime(DateTimeOffset from, DateTimeOffset to)
    {
        var seconds = (long)(to - from).TotalSeconds;
        return from.AddSeconds(_random.NextInt64(Math.Max(seconds, 1)));
    }

    private string StripeId(string prefix)
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return prefix + string.Create(14, _random, (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[random.Next(Alphabet.Length)];
            }
        });
    }

    private string NotificationId() => $"notif_{_random.Next():x8}";

    private long NextMarketoId() => _nextMarketoId += _random.Next(1, 40);

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
