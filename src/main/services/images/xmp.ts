import { loadSharp } from './sharp.js';

/**
 * Our own XMP namespace. The versioned URI is the format's version: a future change to a payload
 * gets a new URI, and this version keeps reading the files it wrote.
 */
const NAMESPACE = 'urn:atelier:xmp:1#';

/**
 * An XMP packet with `value` as JSON text in one `atelier:<element>` element. Non-ASCII is written as
 * JSON \u escapes, so the packet is plain ASCII whatever it holds: nothing depends on how a format's
 * container or another tool treats the packet's encoding.
 */
export function jsonXmp(element: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return (
    // The XMP spec allows an empty `begin` (instead of a byte-order mark) for UTF-8: the packet stays ASCII.
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:atelier="${NAMESPACE}" xmp:CreatorTool="Atelier">` +
    `<atelier:${element}>${escapeXml(json)}</atelier:${element}>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

/**
 * The JSON text of our `element` in an XMP packet, or undefined when the packet has none. The prefix
 * is looked up by namespace URI, as XML means it: a tool that rewrites the packet may rename it.
 */
export function jsonFromXmp(xmp: string, element: string): string | undefined {
  const prefix = new RegExp(`xmlns:([A-Za-z_][\\w-]*)\\s*=\\s*["']${escapeRegExp(NAMESPACE)}["']`).exec(xmp)?.[1];
  if (prefix === undefined) return undefined;
  const text = new RegExp(`<${prefix}:${element}>([^<]*)</${prefix}:${element}>`).exec(xmp)?.[1];
  return text === undefined ? undefined : unescapeXml(text);
}

/** The XMP packet an image file carries, as text; undefined when it has none or cannot be read. */
export async function readXmp(path: string): Promise<string | undefined> {
  const sharp = await loadSharp();
  const metadata = await sharp(path).metadata().catch(() => undefined);
  return metadata?.xmp?.toString('utf8');
}

// Element text needs only these three escaped; quotes stay readable.
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  // Another tool that rewrites the packet may use any of XML's references, named or numeric.
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (_, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    if (dec !== undefined) return String.fromCodePoint(parseInt(dec, 10));
    return named[name!]!;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
