using System.Collections.Frozen;

namespace EvidenceChain.Web.Verification;

/// <summary>The page's two languages.</summary>
internal enum Language
{
    English,
    Chinese,
}

/// <summary>
/// Every text the page shows, in English and Simplified Chinese. Step names and the Verifier's details stay as the
/// CLI prints them (English), so that a report can be compared line by line with <c>evidencectl verify</c>; the
/// Chinese page gives each step's name in Chinese beside it.
/// </summary>
internal static class Strings
{
    private static readonly FrozenDictionary<string, (string En, string Zh)> Texts = new Dictionary<string, (string, string)>
    {
        ["title"] = ("Evidence verifier", "电子证据核验"),
        ["subtitle"] = ("EvidenceChain · offline verification of receipts and case exports", "EvidenceChain · 存证回执与案件导出包离线核验"),
        ["local"] = ("Runs entirely in this browser. Your files are read here and never uploaded.", "全部在本浏览器内运行。文件仅在本机读取，绝不上传。"),
        ["drop"] = ("Drop files here", "将文件拖放到此处"),
        ["drop.hint"] = ("a receipt (.evidence.zip) or a case export (.zip), and optionally the original files and a witness policy (.policy)", "存证回执（.evidence.zip）或案件导出包（.zip），以及可选的原始文件和见证策略（.policy）"),
        ["choose"] = ("Choose files…", "选择文件…"),
        ["files"] = ("Files", "文件"),
        ["role.Receipt"] = ("receipt", "存证回执"),
        ["role.CaseExport"] = ("case export", "案件导出包"),
        ["role.Original"] = ("original file", "原始文件"),
        ["remove"] = ("Remove", "移除"),
        ["clear"] = ("Clear all", "全部清除"),
        ["verify"] = ("Verify again", "重新核验"),
        ["print"] = ("Print report", "打印报告"),
        ["trust"] = ("Trust anchors", "信任锚"),
        ["trust.intro"] = ("Verification trusts only these keys, never the copies inside a receipt. Compare the fingerprints with the ones the log operator publishes.", "核验只信任以下密钥，绝不信任回执内附带的副本。请将指纹与日志运营方公布的指纹核对。"),
        ["trust.none"] = ("No trust anchors are pinned. Load the log's verifier key (log.vkey) and the TSA's CA certificate (tsa-ca.pem).", "尚未固定任何信任锚。请加载日志验证公钥（log.vkey）和时间戳机构 CA 证书（tsa-ca.pem）。"),
        ["trust.log"] = ("Log key (Ed25519)", "日志公钥（Ed25519）"),
        ["trust.sm2"] = ("Log key (SM2, national profile)", "日志公钥（SM2，国密配置）"),
        ["trust.tsa"] = ("TSA CA certificate", "时间戳机构 CA 证书"),
        ["trust.keyid"] = ("key ID", "密钥 ID"),
        ["trust.fingerprint"] = ("SHA-256 fingerprint", "SHA-256 指纹"),
        ["trust.source"] = ("source", "来源"),
        ["trust.valid"] = ("valid", "有效期"),
        ["trust.load"] = ("Load key, certificate or witness policy file…", "加载密钥、证书或见证策略文件…"),
        ["trust.paste"] = ("or paste a verifier key, PEM certificates or a witness policy", "或粘贴验证公钥、PEM 证书或见证策略"),
        ["trust.policy"] = ("Witness policy (C2SP tlog-policy)", "见证策略（C2SP tlog-policy）"),
        ["trust.quorum"] = ("quorum", "法定联署"),
        ["trust.pin"] = ("Pin", "固定"),
        ["trust.reset"] = ("Use the serving node's anchors", "恢复为本节点提供的信任锚"),
        ["trust.served"] = ("delivered with this page by", "随本页面由以下节点提供："),
        ["trust.pasted"] = ("pasted by you", "由您粘贴"),
        ["trust.loaded"] = ("loaded by you from", "由您从以下文件加载："),
        ["trust.pinned"] = ("Pinned", "已固定"),
        ["working"] = ("Verifying…", "正在核验…"),
        ["read"] = ("read", "已读取"),
        ["verdict.pass"] = ("VERIFIED", "核验通过"),
        ["verdict.fail"] = ("NOT VERIFIED", "核验未通过"),
        ["verdict.pass.receipt"] = ("Every check passed under the pinned trust anchors.", "在已固定的信任锚下，全部检查均通过。"),
        ["verdict.pass.case"] = ("Every receipt of the case is timestamped and matches the signed manifest.", "案件中每份回执均有可信时间，且与签名清单一致。"),
        ["verdict.why"] = ("Reason", "原因"),
        ["steps"] = ("Checks", "检查项"),
        ["step"] = ("Step", "步骤"),
        ["result"] = ("Result", "结果"),
        ["detail"] = ("Detail", "说明"),
        ["details.english"] = ("Details are given as the verifier reports them (English), identical to evidencectl.", "说明文字与 evidencectl 命令行输出一致（英文）。"),
        ["evidence"] = ("The evidence", "证据内容"),
        ["kind"] = ("kind", "类型"),
        ["file"] = ("file", "文件"),
        ["size"] = ("size", "大小"),
        ["media"] = ("media type", "媒体类型"),
        ["bytes"] = ("bytes", "字节"),
        ["submitter"] = ("submitter", "提交者"),
        ["recorded"] = ("recorded by the node", "节点记录时间"),
        ["url"] = ("URL", "网址"),
        ["final-url"] = ("final URL", "最终网址"),
        ["http-status"] = ("HTTP status", "HTTP 状态码"),
        ["server-ip"] = ("server IP", "服务器 IP"),
        ["tls-subject"] = ("TLS certificate subject", "TLS 证书主体"),
        ["tls-issuer"] = ("TLS certificate issuer", "TLS 证书签发者"),
        ["captured"] = ("captured", "取证时间"),
        ["field.title"] = ("title", "标题"),
        ["description"] = ("description", "描述"),
        ["failure"] = ("failure", "失败原因"),
        ["reference"] = ("reference", "案号"),
        ["text"] = ("text", "内容"),
        ["disclosed.checked"] = ("disclosed; matches the entry's commitment", "已披露，与条目中的承诺一致"),
        ["committed.hidden"] = ("committed, not disclosed", "已承诺，未披露"),
        ["attributes"] = ("other attributes", "其他属性"),
        ["screenshot"] = ("Screenshot of the captured page (screenshot.png, digest verified)", "所取证网页截图（screenshot.png，摘要已核验）"),
        ["time"] = ("Trusted time", "可信时间"),
        ["gentime"] = ("genTime (RFC 3161)", "时间戳时间（RFC 3161）"),
        ["tsa"] = ("time-stamping authority", "时间戳机构"),
        ["time.none"] = ("No trusted time was established (see the timestamp step).", "未能确立可信时间（见“时间戳”步骤）。"),
        ["witnesses"] = ("Witnesses who cosigned the checkpoint", "联署该检查点的见证人"),
        ["witnesses.none"] = ("No witness of the policy validly cosigned this checkpoint.", "策略所列见证人均未有效联署此检查点。"),
        ["witnesses.at"] = ("cosigned at", "联署时间"),
        ["ledger"] = ("Ledger position", "账本位置"),
        ["origin"] = ("log origin", "日志来源"),
        ["index"] = ("entry index", "条目序号"),
        ["leaf"] = ("leaf hash", "叶子哈希"),
        ["tree"] = ("checkpoint size", "检查点树大小"),
        ["ledger-size"] = ("ledger size at export", "导出时账本大小"),
        ["case"] = ("case", "案件"),
        ["case.title"] = ("title", "标题"),
        ["entries"] = ("Items and events", "证据项与事件"),
        ["claimed"] = ("What the receipt claims", "回执自带的信任锚（仅供对照）"),
        ["claimed.intro"] = ("Copies of the trust anchors inside the receipt. They are never used to verify; they are compared with the pinned ones.", "回执内附带的信任锚副本，从不用于核验，仅与已固定的信任锚对照。"),
        ["claimed.same"] = ("same as pinned", "与已固定的一致"),
        ["claimed.differs"] = ("DIFFERS from the pinned anchor", "与已固定的不一致"),
        ["claimed.notpinned"] = ("not a pinned anchor", "不是已固定的信任锚"),
        ["claimed.nothing"] = ("nothing pinned to compare", "无可对照的已固定信任锚"),
        ["originals"] = ("original files checked", "已核对的原始文件"),
        ["footer"] = ("Checked in this browser by the EvidenceChain verifier (the same code as evidencectl verify / verify-case)", "由 EvidenceChain 核验程序在本浏览器中核验（与 evidencectl verify / verify-case 相同的代码）"),
        ["checked-at"] = ("checked at", "核验时间"),
        ["took"] = ("took", "耗时"),
        ["refused"] = ("The file was not verified", "文件未能核验"),
        ["empty"] = ("Drop a receipt or a case export to see its report here.", "拖入存证回执或案件导出包后，报告将显示在此处。"),
        ["need.receipt"] = ("Original files need a receipt to be checked against: add the .evidence.zip.", "原始文件需要与存证回执对照：请添加 .evidence.zip 文件。"),
        ["offline"] = ("Works offline: once this page has loaded, verifying makes no network request.", "离线可用：页面加载完成后，核验不发出任何网络请求。"),
        ["loading"] = ("Loading the verifier…", "正在加载核验程序…"),
        ["PASS"] = ("PASS", "通过"),
        ["FAIL"] = ("FAIL", "未通过"),
        ["SKIP"] = ("SKIP", "跳过"),
        ["step.proof format"] = ("proof format", "证明格式"),
        ["step.checkpoint signature"] = ("checkpoint signature", "检查点签名"),
        ["step.SM2 checkpoint signature"] = ("SM2 checkpoint signature", "检查点 SM2 签名"),
        ["step.leaf format"] = ("leaf format", "叶子格式"),
        ["step.leaf identity"] = ("leaf identity", "叶子身份"),
        ["step.inclusion"] = ("inclusion", "包含证明"),
        ["step.witnesses"] = ("witnesses", "见证人联署"),
        ["step.timestamp"] = ("timestamp", "时间戳"),
        ["step.checkpoint text"] = ("checkpoint text", "检查点文本"),
        ["step.work limit"] = ("work limit", "工作量上限"),
        ["step.disclosed"] = ("disclosed", "披露字段"),
        ["step.warc records"] = ("warc records", "WARC 记录摘要"),
        ["step.artefact"] = ("artefact", "文件摘要"),
        ["step.export layout"] = ("export layout", "导出包结构"),
        ["step.manifest signature"] = ("manifest signature", "清单签名"),
        ["step.item"] = ("item", "证据项"),
        ["step.event"] = ("event", "事件"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The text for <paramref name="key"/> in <paramref name="language"/>; the key itself when there is none.</summary>
    public static string T(Language language, string key) =>
        Texts.TryGetValue(key, out var text) ? (language == Language.Chinese ? text.Zh : text.En) : key;

    /// <summary>The Chinese name of a step as the CLI prints it, or null (e.g. <c>artefact page.warc</c> gives 文件摘要 page.warc).</summary>
    public static string? ChineseStepName(string step)
    {
        if (Texts.TryGetValue("step." + step, out var exact))
        {
            return exact.Zh;
        }

        var space = step.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && Texts.TryGetValue("step." + step[..space], out var prefix) ? prefix.Zh + step[space..] : null;
    }
}
