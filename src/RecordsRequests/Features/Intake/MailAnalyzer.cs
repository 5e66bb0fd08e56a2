using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Parses and classifies without writing anything: what intake uses before it acts, and what a dry run reports.
/// Parsing and reading the message run on a worker under the per-message time limit, so a pathological message is
/// quarantined instead of stalling a channel.
/// </summary>
public sealed class MailAnalyzer
{
    private readonly IntakeOptions _options;
    private readonly MailParser _parser;
    private readonly MailClassifier _classifier;
    private readonly SenderAuthenticator _authenticator;
    private readonly SpamAssassinClient _spamFilter;

    public MailAnalyzer(IOptions<IntakeOptions> options, IOptions<MailOptions> mail)
        : this(options, mail, new SenderAuthenticator(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SenderAuthenticator>.Instance),
            new SpamAssassinClient(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SpamAssassinClient>.Instance))
    {
    }

    public MailAnalyzer(IOptions<IntakeOptions> options, IOptions<MailOptions> mail, SenderAuthenticator authenticator, SpamAssassinClient spamFilter)
    {
        _options = options.Value;
        _authenticator = authenticator;
        _spamFilter = spamFilter;
        _parser = new MailParser(_options);
        var domains = _options.DistrictDomains.Count > 0 ? _options.DistrictDomains : [MailboxAddress.Parse(mail.Value.FromAddress).Domain];
        _classifier = new MailClassifier(domains,
            _options.SenderAuthentication.TrustedAuthenticationServers.Where(s => !string.IsNullOrWhiteSpace(s)).ToList());
    }

    public MailParser Parser => _parser;

    /// <inheritdoc cref="MailClassifier.IsDistrictAddress"/>
    public bool IsDistrictAddress(string address) => _classifier.IsDistrictAddress(address);

    /// <param name="envelope">The SMTP conversation's facts, when the listener received the message directly; the sender is then checked by DKIM and SPF
    /// and the message is scored by SpamAssassin.</param>
    /// <param name="releasedFromSpam">An officer released the message from the spam list: no spam verdict holds it again.</param>
    /// <param name="reading">The message already read by <see cref="ReadAsync"/> (a batch reads its messages on every core first).</param>
    public async Task<MailAnalysis> AnalyzeAsync(byte[] raw, IThreadLookup threads, CancellationToken cancellationToken, IntakeEnvelope? envelope = null,
        bool releasedFromSpam = false, MailReading? reading = null)
    {
        reading ??= await ReadAsync(raw, envelope, cancellationToken);
        if (reading.Facts is not { } facts)
        {
            return new MailAnalysis(null, new IntakeDecision(IntakeClassification.Quarantined, reading.Failure ?? "unreadable"));
        }
        SpamScore? score = null;
        if (releasedFromSpam)
        {
            facts = facts with { Spam = null };
        }
        else if (envelope?.PeerAddress is not null)
        {
            // Mail straight from the internet has no upstream filter: SpamAssassin scores it. An unreachable filter
            // leaves the message unscored, and it is taken in as usual and marked so.
            score = await _spamFilter.ScoreAsync(raw, cancellationToken);
            facts = facts with { Spam = facts.Spam ?? SpamVerdict.Scored(score, _options.Spam.HoldAtScore) };
        }
        SenderCheck? check = null;
        var decision = await _classifier.DecideAsync(facts, threads,
            async token => check ??= await AuthenticateAsync(facts.Message, envelope, token), cancellationToken);
        return new MailAnalysis(facts, decision, check, score);
    }

    /// <summary>
    /// Parses and examines the message without the database (the CPU-bound part of intake), on a worker under the
    /// per-message time limit, so a pathological message is quarantined instead of stalling a channel.
    /// </summary>
    public async Task<MailReading> ReadAsync(byte[] raw, IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.PerMessageTimeLimit);
        try
        {
            var work = Task.Run(() =>
            {
                var parsed = _parser.Parse(raw, limit.Token);
                return parsed.Message is null ? new MailReading(null, parsed.Failure ?? "unreadable") : new MailReading(_classifier.Examine(parsed.Message, envelope), null);
            }, limit.Token);
            return await work.WaitAsync(_options.PerMessageTimeLimit, cancellationToken);
        }
        catch (Exception e) when ((e is TimeoutException || e is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return new MailReading(null, $"reading the message took longer than the limit of {_options.PerMessageTimeLimit.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // MimeKit and the sanitizer are tolerant, but an input nobody foresaw must still end in quarantine, not a crash.
            return new MailReading(null, $"could not read the message: {e.GetType().Name}: {e.GetBaseException().Message}");
        }
    }

    private async Task<SenderCheck> AuthenticateAsync(MimeMessage message, IntakeEnvelope? envelope, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.PerMessageTimeLimit);
        try
        {
            return await _authenticator.CheckAsync(message, envelope, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SenderCheck.NotChecked("sender authentication took longer than the per-message limit");
        }
    }
}
