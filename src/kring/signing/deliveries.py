"""The copies of a signed document (R14, issue 11 point 4): each signer gets one. Contract
(filled in by the portal part of issue 11):
- `send_copies(document)`: called by the task once the PDF is made; queues one e-mail with the
  PDF to every signer with an e-mail address and records a Delivery (channel e-mail) for each.
- `record_download(document, participant)`, `record_printed(document, participant, *, by)`,
  `resend(document, participant, *, by)`.
- `status(document) -> list[...]`: per signer, which copies they got (e-mail sent or failed,
  downloaded, printed), and whether they have none yet.
"""
