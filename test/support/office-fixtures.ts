/**
 * Minimal but well-formed DOCX, XLSX, PPTX, ODT, ODS, ODP and HWPX files built from hand-written
 * XML, each holding Korean text and the synthetic resident number 900101-1234568 in the places
 * the extractors must reach (tables, headers, notes, text boxes, number-formatted cells).
 */
import { Buffer } from 'node:buffer';
import { crc32, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { buildZip, type ZipItem } from './zip-builder.js';

export const RRN = '900101-1234568';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function rels(list: readonly (readonly [id: string, type: string, target: string])[]): string {
  const items = list.map(
    ([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`,
  );
  return `${XML}<Relationships xmlns="${PKG_REL}">${items.join('')}</Relationships>`;
}

/** A real 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs. */
export function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 0]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const wordRun = (text: string): string => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const wordPara = (...runs: string[]): string => `<w:p>${runs.join('')}</w:p>`;
const wordCell = (text: string): string => `<w:tc><w:tcPr/>${wordPara(wordRun(text))}</w:tc>`;

export function docxFixture(): Buffer {
  const textbox = (text: string): string => `<w:txbxContent>${wordPara(wordRun(text))}</w:txbxContent>`;
  const document =
    `${XML}<w:document xmlns:w="${W}" xmlns:r="${R}" ` +
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">' +
    '<w:body>' +
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' + wordRun('고객 명단') + '</w:p>' +
    wordPara(wordRun('주민등록번호: 900101'), '<w:r><w:noBreakHyphen/><w:t>1234568</w:t></w:r>') +
    '<w:tbl><w:tblPr/><w:tr>' + wordCell('성명') + wordCell('주민등록번호') + '</w:tr>' +
    '<w:tr>' + wordCell('홍길동') + wordCell(RRN) + '</w:tr></w:tbl>' +
    wordPara(wordRun('이름'), '<w:r><w:tab/><w:t>김영희</w:t></w:r>') +
    '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>' +
    textbox('상자 안 계좌 110-123-456789') +
    '</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>' +
    textbox('상자 안 계좌 110-123-456789') +
    '</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>' +
    '<w:p><w:r><w:instrText> MERGEFIELD 비밀필드 </w:instrText></w:r>' + wordRun('삭제된 ') +
    '<w:del><w:r><w:delText>예전 번호 800101-2345678</w:delText></w:r></w:del></w:p>' +
    '<w:sectPr/></w:body></w:document>';
  const part = (root: string, body: string): string => `${XML}<w:${root} xmlns:w="${W}">${body}</w:${root}>`;
  return buildZip([
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>` },
    { name: '_rels/.rels', data: rels([['rId1', 'officeDocument', 'word/document.xml']]) },
    { name: 'word/document.xml', data: document },
    {
      name: 'word/_rels/document.xml.rels',
      data: rels([
        ['rId1', 'header', 'header1.xml'],
        ['rId2', 'footer', 'footer1.xml'],
        ['rId3', 'footnotes', 'footnotes.xml'],
        ['rId4', 'comments', 'comments.xml'],
        ['rId5', 'image', 'media/image1.png'],
      ]),
    },
    { name: 'word/header1.xml', data: part('hdr', wordPara(wordRun('대외비 문서'))) },
    { name: 'word/footer1.xml', data: part('ftr', wordPara(wordRun('담당자 연락처 010-1234-5678'))) },
    {
      name: 'word/footnotes.xml',
      data: part(
        'footnotes',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' +
          `<w:footnote w:id="1">${wordPara(wordRun('각주: 여권번호 M12345678'))}</w:footnote>`,
      ),
    },
    { name: 'word/comments.xml', data: part('comments', `<w:comment w:id="0" w:author="김철수">${wordPara(wordRun('검토 의견: 주민번호 삭제'))}</w:comment>`) },
    { name: 'word/media/image1.png', data: tinyPng(), method: 0 },
    { name: 'word/media/image2.emf', data: Buffer.from([1, 0, 0, 0, 0x6c, 0, 0, 0, 0, 0, 0, 0]) },
  ]);
}

const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

export function xlsxFixture(options: { date1904?: boolean } = {}): Buffer {
  const shared = ['성명', '주민등록번호', '전화번호', '가입일', '홍길동', '금액'];
  const sst =
    `${XML}<sst xmlns="${SHEET_NS}" count="${shared.length + 1}" uniqueCount="${shared.length + 1}">` +
    shared.map((s) => `<si><t>${s}</t></si>`).join('') +
    '<si><r><t>서울시 </t></r><r><t>강남구</t></r><rPh sb="0" eb="1"><t>ソウル</t></rPh></si>' +
    '</sst>';
  const styles =
    `${XML}<styleSheet xmlns="${SHEET_NS}"><numFmts count="3">` +
    '<numFmt numFmtId="164" formatCode="000000\\-0000000"/>' +
    '<numFmt numFmtId="165" formatCode="000-0000-0000"/>' +
    '<numFmt numFmtId="166" formatCode="yyyy\\-mm\\-dd"/>' +
    '</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="5">' +
    '<xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="3"/>' +
    '</cellXfs></styleSheet>';
  const sheet1 =
    `${XML}<worksheet xmlns="${SHEET_NS}"><sheetData>` +
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>' +
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>5</v></c></row>' +
    '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>9001011234568</v></c>' +
    '<c r="C2" s="2"><v>1012345678</v></c><c r="D2" s="3"><v>45352</v></c><c r="E2" s="4"><v>3500000</v></c></row>' +
    '<row r="4"><c r="D4" t="inlineStr"><is><t>비고 인라인</t></is></c></row>' +
    '<row r="5"><c r="A5" t="s"><v>6</v></c></row>' +
    '</sheetData></worksheet>';
  const sheet2 =
    `${XML}<worksheet xmlns="${SHEET_NS}"><sheetData>` +
    '<row r="1"><c r="A1" t="str"><f>CONCAT("a","b")</f><v>계산된 값</v></c><c r="B1" t="b"><v>1</v></c>' +
    '<c r="C1"><v>0.30000000000000004</v></c></row>' +
    '</sheetData></worksheet>';
  const workbook =
    `${XML}<workbook xmlns="${SHEET_NS}" xmlns:r="${R}"><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets>` +
    '<sheet name="고객목록" sheetId="1" r:id="rId1"/><sheet name="계산" sheetId="2" r:id="rId2"/>' +
    '</sheets></workbook>';
  return buildZip([
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>` },
    { name: '_rels/.rels', data: rels([['rId1', 'officeDocument', 'xl/workbook.xml']]) },
    { name: 'xl/workbook.xml', data: workbook },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: rels([
        // The first tab lives in sheet2.xml: order comes from workbook.xml, not file names.
        ['rId1', 'worksheet', 'worksheets/sheet2.xml'],
        ['rId2', 'worksheet', 'worksheets/sheet1.xml'],
        ['rId3', 'styles', 'styles.xml'],
        ['rId4', 'sharedStrings', 'sharedStrings.xml'],
      ]),
    },
    { name: 'xl/styles.xml', data: styles },
    { name: 'xl/sharedStrings.xml', data: sst },
    { name: 'xl/worksheets/sheet2.xml', data: sheet1 },
    { name: 'xl/worksheets/_rels/sheet2.xml.rels', data: rels([['rId1', 'comments', '../comments1.xml']]) },
    {
      name: 'xl/comments1.xml',
      data:
        `${XML}<comments xmlns="${SHEET_NS}"><authors><author>김철수</author></authors><commentList>` +
        '<comment ref="B2" authorId="0"><text><r><t>확인 필요: </t></r><r><t>실명 자료</t></r></text></comment>' +
        '<comment ref="C2" authorId="0"><text><t>번호 변경됨</t></text></comment>' +
        '</commentList></comments>',
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet2 },
  ]);
}

const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';

function slideXml(
  root: 'sld' | 'notes',
  paragraphs: readonly string[],
  table?: readonly (readonly string[])[],
): string {
  const para = (text: string): string => `<a:p><a:r><a:rPr lang="ko-KR"/><a:t>${text}</a:t></a:r></a:p>`;
  const body = paragraphs.map(para).join('');
  const cell = (text: string): string => `<a:tc><a:txBody>${para(text)}</a:txBody></a:tc>`;
  const tbl = table
    ? '<p:graphicFrame><a:graphic><a:graphicData><a:tbl>' +
      table.map((row) => `<a:tr>${row.map(cell).join('')}</a:tr>`).join('') +
      '</a:tbl></a:graphicData></a:graphic></p:graphicFrame>'
    : '';
  return (
    `${XML}<p:${root} xmlns:a="${A}" xmlns:p="${P}" xmlns:r="${R}"><p:cSld><p:spTree>` +
    `<p:sp><p:txBody><a:bodyPr/>${body}</p:txBody></p:sp>${tbl}` +
    `</p:spTree></p:cSld></p:${root}>`
  );
}

export function pptxFixture(): Buffer {
  const presentation =
    `${XML}<p:presentation xmlns:p="${P}" xmlns:r="${R}"><p:sldIdLst>` +
    '<p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>';
  return buildZip([
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>` },
    { name: '_rels/.rels', data: rels([['rId1', 'officeDocument', 'ppt/presentation.xml']]) },
    { name: 'ppt/presentation.xml', data: presentation },
    {
      name: 'ppt/_rels/presentation.xml.rels',
      data: rels([
        ['rId2', 'slide', 'slides/slide1.xml'],
        ['rId3', 'slide', 'slides/slide2.xml'],
      ]),
    },
    {
      name: 'ppt/slides/slide2.xml',
      data: slideXml(
        'sld',
        ['첫 슬라이드: 고객 정보', `주민등록번호 ${RRN}`],
        [
          ['성명', '연락처'],
          ['홍길동', '010-2222-3333'],
        ],
      ),
    },
    { name: 'ppt/slides/slide1.xml', data: slideXml('sld', ['두 번째 슬라이드: 요약']) },
    { name: 'ppt/slides/_rels/slide2.xml.rels', data: rels([['rId1', 'notesSlide', '../notesSlides/notesSlide1.xml']]) },
    { name: 'ppt/notesSlides/notesSlide1.xml', data: slideXml('notes', ['발표자 메모: 고객 계좌 110-987-654321']) },
    { name: 'ppt/media/image1.png', data: tinyPng() },
  ]);
}

const ODF_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ' +
  'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" ' +
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"';

const MANIFEST_NS = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';

function odfPackage(mimetype: string, body: string, styles: string, extra: readonly ZipItem[] = []): Buffer {
  return buildZip([
    { name: 'mimetype', data: mimetype, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: `${XML}<manifest:manifest xmlns:manifest="${MANIFEST_NS}"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/></manifest:manifest>`,
    },
    { name: 'content.xml', data: `${XML}<office:document-content ${ODF_NS}><office:body>${body}</office:body></office:document-content>` },
    { name: 'styles.xml', data: `${XML}<office:document-styles ${ODF_NS}>${styles}</office:document-styles>` },
    ...extra,
  ]);
}

const ODF_STYLES =
  '<office:master-styles><style:master-page style:name="Standard">' +
  '<style:header><text:p>머리글 대외비</text:p></style:header>' +
  '<style:footer><text:p>바닥글 문의 02-123-4567</text:p></style:footer>' +
  '</style:master-page></office:master-styles>';

export function odtFixture(): Buffer {
  const body =
    '<office:text><text:h text:outline-level="1">개인정보 현황</text:h>' +
    '<text:p>주민등록번호:<text:s/>900101-1234568<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>' +
    '<text:note-body><text:p>각주 내용 여권 M12345678</text:p></text:note-body></text:note></text:p>' +
    '<text:p>이름<text:tab/>홍길동<text:line-break/>둘째 줄<text:s text:c="3"/>끝</text:p>' +
    '<table:table table:name="표1"><table:table-column/><table:table-row>' +
    '<table:table-cell><text:p>성명</text:p></table:table-cell><table:table-cell><text:p>번호</text:p></table:table-cell></table:table-row>' +
    `<table:table-row><table:table-cell><text:p>김영희</text:p></table:table-cell><table:table-cell><text:p>${RRN}</text:p></table:table-cell></table:table-row></table:table>` +
    '<text:p>작성일 <text:date>2024-05-01</text:date></text:p>' +
    '<text:p><office:annotation><dc:creator>검토자</dc:creator><dc:date>2024-01-01</dc:date><text:p>메모: 삭제 필요</text:p></office:annotation>본문 끝</text:p>' +
    '</office:text>';
  const picture = { name: 'Pictures/photo.png', data: tinyPng() };
  return odfPackage('application/vnd.oasis.opendocument.text', body, ODF_STYLES, [picture]);
}

export function odsFixture(): Buffer {
  const cell = (text: string, attrs = ''): string => `<table:table-cell${attrs} office:value-type="string"><text:p>${text}</text:p></table:table-cell>`;
  const body =
    '<office:spreadsheet><table:table table:name="직원명부">' +
    '<table:table-column table:number-columns-repeated="1024"/>' +
    `<table:table-row>${cell('성명')}${cell('주민등록번호')}<table:table-cell table:number-columns-repeated="1022"/></table:table-row>` +
    `<table:table-row>${cell('홍길동')}${cell(RRN)}<table:table-cell table:number-columns-repeated="1022"/></table:table-row>` +
    `<table:table-row><table:table-cell table:number-columns-repeated="2"/>${cell('반복', ' table:number-columns-repeated="3"')}<table:table-cell table:number-columns-repeated="1000000"/></table:table-row>` +
    '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>' +
    '</table:table><table:table table:name="요약"><table:table-row>' +
    `${cell('합계')}<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>` +
    '</table:table-row></table:table></office:spreadsheet>';
  return odfPackage('application/vnd.oasis.opendocument.spreadsheet', body, '');
}

export function odpFixture(): Buffer {
  const frame = (text: string): string => `<draw:frame><draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame>`;
  const body =
    '<office:presentation>' +
    `<draw:page draw:name="page1">${frame('첫 장 제목')}${frame(`주민등록번호 ${RRN}`)}` +
    `<presentation:notes><draw:page-thumbnail/>${frame('메모: 고객 전화 010-5555-6666')}</presentation:notes></draw:page>` +
    `<draw:page draw:name="page2">${frame('둘째 장')}</draw:page>` +
    '</office:presentation>';
  return odfPackage('application/vnd.oasis.opendocument.presentation', body, '');
}

/** An ODT as LibreOffice writes it with a password: content.xml is ciphertext, the manifest says so. */
export function encryptedOdtFixture(): Buffer {
  const manifest =
    `${XML}<manifest:manifest xmlns:manifest="${MANIFEST_NS}">` +
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>' +
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2048">' +
    '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">' +
    '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>' +
    '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>' +
    '</manifest:encryption-data></manifest:file-entry></manifest:manifest>';
  return buildZip([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
    { name: 'META-INF/manifest.xml', data: manifest },
    // Ciphertext stand-in: bytes that are no XML at all.
    { name: 'content.xml', data: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)) },
  ]);
}

const HWPX_NS =
  'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"';

const hwpPara = (inner: string): string => `<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run charPrIDRef="0">${inner}</hp:run></hp:p>`;
const hwpText = (text: string): string => hwpPara(`<hp:t>${text}</hp:t>`);
const hwpCell = (text: string): string => `<hp:tc><hp:subList>${hwpText(text)}</hp:subList></hp:tc>`;

function hwpxPackage(
  sections: readonly string[],
  manifest: string,
  sectionNumbers?: readonly number[],
): Buffer {
  return buildZip([
    { name: 'mimetype', data: 'application/hwp+zip', method: 0 },
    { name: 'version.xml', data: `${XML}<hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" major="5"/>` },
    { name: 'META-INF/container.xml', data: `${XML}<ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container"/>` },
    { name: 'META-INF/manifest.xml', data: manifest },
    { name: 'Contents/header.xml', data: `${XML}<hh:head xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head"/>` },
    ...sections.map((xml, i) => ({
      name: `Contents/section${sectionNumbers?.[i] ?? i}.xml`,
      data: `${XML}<hs:sec ${HWPX_NS}>${xml}</hs:sec>`,
    })),
    { name: 'Preview/PrvText.txt', data: '미리보기 텍스트' },
    { name: 'BinData/image1.png', data: tinyPng() },
  ]);
}

const PLAIN_MANIFEST = `${XML}<odf:manifest xmlns:odf="${MANIFEST_NS}"/>`;

export function hwpxFixture(): Buffer {
  const section0 =
    hwpText('개인정보 처리 현황') +
    hwpText(`주민등록번호: ${RRN}`) +
    hwpPara(
      '<hp:tbl rowCnt="2" colCnt="2"><hp:tr>' + hwpCell('성명') + hwpCell('주민등록번호') + '</hp:tr>' +
        '<hp:tr>' + hwpCell('홍길동') + hwpCell(RRN) + '</hp:tr></hp:tbl>',
    ) +
    hwpPara(`<hp:ctrl><hp:header id="1" applyPageType="BOTH"><hp:subList>${hwpText('머리말 대외비')}</hp:subList></hp:header></hp:ctrl>`) +
    hwpPara(`<hp:rect id="5"><hp:drawText><hp:subList>${hwpText('글상자 안 전화 010-1111-2222')}</hp:subList></hp:drawText></hp:rect>`) +
    hwpPara('<hp:t>이름<hp:tab width="4000"/>김영희</hp:t>');
  // Section 10 after section 2: numeric, not lexical, order.
  return hwpxPackage([section0, hwpText('둘째 구역'), hwpText('열째 구역')], PLAIN_MANIFEST, [0, 2, 10]);
}

export function encryptedHwpxFixture(): Buffer {
  const manifest =
    `${XML}<odf:manifest xmlns:odf="${MANIFEST_NS}"><odf:file-entry odf:full-path="Contents/section0.xml" odf:media-type="application/xml" odf:size="900">` +
    '<odf:encryption-data odf:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" odf:checksum="AAAA">' +
    '<odf:algorithm odf:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" odf:initialisation-vector="AAAA"/>' +
    '</odf:encryption-data></odf:file-entry></odf:manifest>';
  return hwpxPackage(['<hp:p/>'], manifest);
}

/**
 * An Enhanced Metafile drawing `lines` (each `[text, y]`, several on one y share a baseline):
 * EMR_HEADER with the ' EMF' signature, one EMR_EXTTEXTOUTW per string (EMR_EXTTEXTOUTA, CP949,
 * when `ansi`), EMR_EOF.
 */
export function emfFixture(lines: readonly (readonly [text: string, y: number])[], ansi = false): Buffer {
  const header = Buffer.alloc(108);
  header.writeUInt32LE(1, 0);
  header.writeUInt32LE(108, 4);
  header.writeInt32LE(1000, 16);
  header.writeInt32LE(200, 20);
  header.writeUInt32LE(0x464d4520, 40);
  header.writeUInt32LE(0x10000, 44);
  const records: Buffer[] = [header];
  for (const [index, [text, y]] of lines.entries()) {
    const encoded = ansi ? iconv.encode(text, 'cp949') : Buffer.from(text, 'utf16le');
    const chars = ansi ? encoded.length : text.length;
    const padded = Math.ceil(encoded.length / 4) * 4;
    const record = Buffer.alloc(76 + padded + chars * 4);
    record.writeUInt32LE(ansi ? 83 : 84, 0);
    record.writeUInt32LE(record.length, 4);
    record.writeUInt32LE(1, 24);
    record.writeFloatLE(1, 28);
    record.writeFloatLE(1, 32);
    record.writeInt32LE(10 + index * 100, 36);
    record.writeInt32LE(y, 40);
    record.writeUInt32LE(chars, 44);
    record.writeUInt32LE(76, 48);
    record.writeUInt32LE(0, 52);
    record.writeUInt32LE(76 + padded, 72);
    encoded.copy(record, 76);
    records.push(record);
  }
  const eof = Buffer.alloc(20);
  eof.writeUInt32LE(14, 0);
  eof.writeUInt32LE(20, 4);
  eof.writeUInt32LE(16, 16);
  records.push(eof);
  const all = Buffer.concat(records);
  all.writeUInt32LE(all.length, 48);
  all.writeUInt32LE(records.length, 52);
  return all;
}
