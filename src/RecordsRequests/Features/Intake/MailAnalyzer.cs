using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Features.Correspondence;

namespace RecordsRequests.Features.Intake;

/// <summary>A parsed and classified message, or why it could not be.</summary>
public sealed record MailAnalysis(MailFacts? Facts, IntakeDecision Decision);

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

    public MailAnalyzer(IOptions<IntakeOptions> options, IOptions<MailOptions> mail)
    {
        _options = options.Value;
        _parser = new MailParser(_options);
        var domains = _options.DistrictDomains.Count > 0 ? _options.DistrictDomains : [MailboxAddress.Parse(mail.Value.FromAddress).Domain];
        _classifier = new MailClassifier(domains);
    }

    public MailParser Parser => _parser;

    public async Task<MailAnalysis> AnalyzeAsync(byte[] raw, IThreadLookup threads, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.PerMessageTimeLimit);
        MailFacts facts;
        try
        {
            var work = Task.Run(() =>
            {
                var parsed = _parser.Parse(raw, limit.Token);
                return parsed.Message is null ? (Facts: (MailFacts?)null, parsed.Failure) : (_classifier.Examine(parsed.Message), null);
            }, limit.Token);
            var (examined, failure) = await work.WaitAsync(_options.PerMessageTimeLimit, cancellationToken);
            if (examined is null)
            {
                return new MailAnalysis(null, new IntakeDecision(IntakeClassification.Quarantined, failure ?? "unreadable"));
            }
            facts = examined;
        }
        catch (Exception e) when ((e is TimeoutException || e is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return new MailAnalysis(null, new IntakeDecision(IntakeClassification.Quarantined,
                $"reading the message took longer than the limit of {_options.PerMessageTimeLimit.TotalSeconds:0.#} s"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // MimeKit and the sanitizer are tolerant, but an input nobody foresaw must still end in quarantine, not a crash.
            return new MailAnalysis(null, new IntakeDecision(IntakeClassification.Quarantined, $"could not read the message: {e.GetType().Name}: {e.GetBaseException().Message}"));
        }
        var decision = await _classifier.DecideAsync(facts, threads, cancellationToken);
        return new MailAnalysis(facts, decision);
    }
}
