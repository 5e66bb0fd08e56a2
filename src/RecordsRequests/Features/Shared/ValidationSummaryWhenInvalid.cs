using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace RecordsRequests.Features.Shared;

/// <summary>
/// Leaves out a validation summary while there is nothing to report. ASP.NET renders an empty one with an inline
/// <c>style="display:none"</c>, which our Content-Security-Policy blocks: the browser logged a violation and showed a
/// stray red bullet on every form page. Runs after the framework's own tag helper for the same element.
/// </summary>
[HtmlTargetElement("div", Attributes = "asp-validation-summary")]
public sealed class ValidationSummaryWhenInvalid : TagHelper
{
    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (ViewContext.ModelState.IsValid)
        {
            output.SuppressOutput();
        }
    }
}
