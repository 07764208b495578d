namespace EventLink.Samples.Quickstart.Data;

/// <summary>
/// The featured customer, scripted: Dana at Northwind Analytics buys after a webinar, is charged twice, asks about it in
/// Intercom while finance files a ticket in Zendesk from the shared billing mailbox, gets a refund, and churns two months
/// later when her card fails. Stripe only knows the billing mailbox until the account manager adds it to her HubSpot
/// contact, which unifies the two profiles.
/// </summary>
internal static class ChurnStory
{
    public const string Email = "dana.whitfield@northwind.io";
    public const string BillingEmail = "billing@northwind.io";

    private const long Vid = 5101;
    private const long DealId = 8_801_772;
    private const string CustomerId = "cus_NwR4a7Kd2LmQ8x";
    private const string SubscriptionId = "sub_1QhNw8Rk2b7TfA";
    private const long MonthlyCents = 49_900;

    public static Person Person { get; } = new("Dana", "Whitfield", "Northwind Analytics", Email, TimeSpan.FromHours(-5));

    public static IEnumerable<SourceEvent> Events()
    {
        var dana = Person;
        var eastern = dana.UtcOffset;

        // Marketing knew Dana before sales did: this activity waits in quarantine until her HubSpot contact arrives.
        yield return Marketo.EmailActivity(9_870_114, 41_207, Email, "email.delivered", "Q1 product webinar invite", At(1, 8, 15, 2));
        var contactV1 = HubSpot.Contact(Vid, "Dana.Whitfield@Northwind.io", dana, "lead", null, At(1, 15, 16, 40));
        yield return contactV1;
        yield return HubSpot.DealStage(DealId, Vid, "Northwind Analytics — Team plan", "appointmentscheduled", 5_988m, At(1, 20, 17, 0));
        yield return Marketo.EmailActivity(9_871_530, 41_207, "dana.whitfield@northwind.io ", "email.opened", "Q1 product webinar invite", At(1, 22, 14, 3));
        yield return HubSpot.DealStage(DealId, Vid, "Northwind Analytics — Team plan", "contractsent", 5_988m, At(1, 27, 19, 30));
        yield return HubSpot.DealStage(DealId, Vid, "Northwind Analytics — Team plan", "closedwon", 5_988m, At(2, 1, 15, 12));
        yield return HubSpot.Contact(Vid, Email, dana, "customer", "business", At(2, 1, 15, 13));

        // HubSpot replays the first version of the contact a day later; the newer version already stored wins (Stale).
        yield return contactV1 with { Delay = At(2, 2, 9, 0) - contactV1.OccurredAt };

        // Stripe only ever hears of the billing mailbox, so this starts as a second profile.
        yield return Stripe.Customer(CustomerId, "Billing@Northwind.io", "Northwind Analytics", "team", "Northwind Analytics Inc.", At(2, 3, 10, 1));
        yield return Stripe.SubscriptionEvent("evt_1QhNw9Rk2b7TfA4e", "customer.subscription.created", SubscriptionId, CustomerId, "team", MonthlyCents, At(2, 3, 10, 1));

        // The real double charge: two charges eight seconds apart. The first webhook is also delivered twice (a duplicate).
        yield return Stripe.Charge("ch_3QhNwARk2b7TfA0a", CustomerId, BillingEmail, MonthlyCents, "Invoice NW-0001 (Feb)", At(2, 3, 10, 2)) with { Redelivered = true };
        yield return Stripe.Charge("ch_3QhNwIRk2b7TfA1b", CustomerId, BillingEmail, MonthlyCents, "Invoice NW-0001 (Feb)", At(2, 3, 10, 2).AddSeconds(8));

        yield return Intercom.Conversation("notif_8c1d2e40", "conversation.user.created", "215470118", " DANA.WHITFIELD@northwind.io", "Dana Whitfield", "Billing question", At(2, 15, 14, 20));

        // The ticket's first webhook arrives two days late, after the reply that followed it.
        yield return Zendesk.TicketEvent(9_912_301, "ticket.created", 48_213, "Charged twice for February", "new", "Billing@Northwind.io", "Northwind Finance", At(2, 15, 16, 5), eastern) with { Delay = TimeSpan.FromDays(2) };
        yield return HubSpot.Contact(Vid, Email, dana, "customer", "business", At(2, 16, 9, 30), additionalEmails: [BillingEmail]);
        yield return Zendesk.TicketEvent(9_912_477, "ticket.comment_added", 48_213, "Charged twice for February", "pending", BillingEmail, "Northwind Finance", At(2, 16, 11, 45), eastern);
        yield return Stripe.Refund("re_3QhNwIRk2b7TfA1c", "ch_3QhNwIRk2b7TfA1b", CustomerId, MonthlyCents, At(2, 16, 11, 50));
        yield return Intercom.Conversation("notif_8c1f0a77", "conversation.admin.replied", "215470118", Email, "Dana Whitfield", "Billing question", At(2, 17, 10, 2));
        yield return Zendesk.TicketEvent(9_912_802, "ticket.solved", 48_213, "Charged twice for February", "solved", BillingEmail, "Northwind Finance", At(2, 18, 13, 0), eastern);

        yield return Marketo.EmailActivity(9_874_002, 41_207, Email, "email.delivered", "March customer newsletter", At(3, 2, 15, 0));
        yield return Stripe.Charge("ch_3QqLm2Rk2b7TfA2d", CustomerId, BillingEmail, MonthlyCents, "Invoice NW-0002 (Mar)", At(3, 3, 10, 1));
        yield return Stripe.Charge("ch_3R0aP1Rk2b7TfA3e", CustomerId, BillingEmail, MonthlyCents, "Invoice NW-0003 (Apr)", At(4, 3, 10, 1), failureCode: "card_declined");
        yield return Stripe.Charge("ch_3R3bQ7Rk2b7TfA4f", CustomerId, BillingEmail, MonthlyCents, "Invoice NW-0003 (Apr, retry)", At(4, 20, 10, 1), failureCode: "card_declined");
        yield return Stripe.SubscriptionEvent("evt_1R4cS2Rk2b7TfA5g", "customer.subscription.deleted", SubscriptionId, CustomerId, "team", MonthlyCents, At(4, 25, 10, 1));
    }

    private static DateTimeOffset At(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);
}
