<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>BackgroundNotifications</name>
    <message>
        <location filename="../../client/ui/notifications.py" line="61"/>
        <source>Runde</source>
        <translation>Runde</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="92"/>
        <source>Private message</source>
        <translation>Private Nachricht</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="92"/>
        <source>Chat message</source>
        <translation>Chatnachricht</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="101"/>
        <source>Hand raised</source>
        <translation>Hand gehoben</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="102"/>
        <source>%1 raised their hand</source>
        <translation>%1 hat die Hand gehoben</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="109"/>
        <source>Waiting room</source>
        <translation>Warteraum</translation>
    </message>
    <message>
        <location filename="../../client/ui/notifications.py" line="110"/>
        <source>Waiting to be let in: %1</source>
        <translation>Wartet auf Einlass: %1</translation>
    </message>
</context>
<context>
    <name>BackgroundUi</name>
    <message>
        <location filename="../../client/ui/background_ui.py" line="59"/>
        <source>No effect</source>
        <translation>Kein Effekt</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="60"/>
        <source>Blur</source>
        <translation>Weichzeichnen</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="61"/>
        <source>Strong blur</source>
        <translation>Stark weichzeichnen</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="62"/>
        <source>Picture: office wall</source>
        <translation>Bild: Bürowand</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="63"/>
        <source>Picture: grey</source>
        <translation>Bild: Grau</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="64"/>
        <source>Picture: blue</source>
        <translation>Bild: Blau</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="69"/>
        <source>Own picture: %1</source>
        <translation>Eigenes Bild: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="71"/>
        <source>Choose a picture…</source>
        <translation>Bild auswählen …</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="93"/>
        <source>The background cannot be used: %1</source>
        <translation>Der Hintergrund kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="107"/>
        <source>Choose a background picture</source>
        <translation>Hintergrundbild auswählen</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="108"/>
        <source>Pictures (%1)</source>
        <translation>Bilder (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/background_ui.py" line="119"/>
        <source>The background effect was turned off: this computer cannot keep up with it. Your real background is visible again.</source>
        <translation>Der Hintergrundeffekt wurde ausgeschaltet: Dieser Computer kommt damit nicht nach. Ihr echter Hintergrund ist wieder zu sehen.</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="56"/>
        <location filename="../../client/ui/chat_panel.py" line="63"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="67"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="68"/>
        <source>Close the chat</source>
        <translation>Den Chat schließen</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="81"/>
        <source>Chat messages</source>
        <translation>Chatnachrichten</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="84"/>
        <source>Send to</source>
        <translation>Senden an</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="85"/>
        <source>Everyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="88"/>
        <source>&amp;To:</source>
        <translation>&amp;An:</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="95"/>
        <source>Write a message…</source>
        <translation>Nachricht schreiben…</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="96"/>
        <source>Chat message</source>
        <translation>Chatnachricht</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="99"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="100"/>
        <source>Send the message</source>
        <translation>Die Nachricht senden</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="106"/>
        <source>Chat notice</source>
        <translation>Hinweis zum Chat</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="134"/>
        <source>Privately to %1</source>
        <translation>Privat an %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="136"/>
        <source>Privately from %1</source>
        <translation>Privat von %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="139"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="188"/>
        <source> (has left)</source>
        <translation> (nicht mehr dabei)</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="208"/>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="215"/>
        <source>The message has %1 characters; at most %2 can be sent.</source>
        <translation>Die Nachricht hat %1 Zeichen; höchstens %2 können gesendet werden.</translation>
    </message>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="222"/>
        <source>%1 characters left</source>
        <translation>Noch %1 Zeichen</translation>
    </message>
</context>
<context>
    <name>ChatToast</name>
    <message>
        <location filename="../../client/ui/chat_panel.py" line="256"/>
        <source>New chat message</source>
        <translation>Neue Chatnachricht</translation>
    </message>
</context>
<context>
    <name>DeviceBanner</name>
    <message>
        <location filename="../../client/ui/device_status.py" line="65"/>
        <location filename="../../client/ui/device_status.py" line="69"/>
        <source>Device problems</source>
        <translation>Geräteprobleme</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="70"/>
        <location filename="../../client/ui/device_status.py" line="71"/>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="73"/>
        <source>Open the chosen devices again, for example after plugging one back in</source>
        <translation>Die gewählten Geräte erneut öffnen, zum Beispiel nach dem Wiedereinstecken</translation>
    </message>
</context>
<context>
    <name>DeviceMenus</name>
    <message>
        <location filename="../../client/ui/device_menus.py" line="66"/>
        <source>Choose the microphone and speakers</source>
        <translation>Mikrofon und Lautsprecher wählen</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="68"/>
        <source>Choose the camera</source>
        <translation>Kamera wählen</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="95"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="106"/>
        <source>Try the devices again</source>
        <translation>Geräte erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="110"/>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="112"/>
        <source>Background (set by your administrator)</source>
        <translation>Hintergrund (von Ihrer Administration festgelegt)</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="126"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="128"/>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_menus.py" line="130"/>
        <source>Speakers</source>
        <translation>Lautsprecher</translation>
    </message>
</context>
<context>
    <name>DeviceStatus</name>
    <message>
        <location filename="../../client/ui/device_status.py" line="22"/>
        <source>No microphone was found: the others cannot hear you.</source>
        <translation>Es wurde kein Mikrofon gefunden: Die anderen hören Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="26"/>
        <source>The microphone stopped working or could not be opened: the others cannot hear you.</source>
        <translation>Das Mikrofon funktioniert nicht mehr oder ließ sich nicht öffnen: Die anderen hören Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="32"/>
        <source>No camera was found: the others do not see you.</source>
        <translation>Es wurde keine Kamera gefunden: Die anderen sehen Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="36"/>
        <source>The camera stopped working or could not be opened: the others do not see you.</source>
        <translation>Die Kamera funktioniert nicht mehr oder ließ sich nicht öffnen: Die anderen sehen Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="41"/>
        <source>No speakers were found: you cannot hear the others.</source>
        <translation>Es wurden keine Lautsprecher gefunden: Sie hören die anderen nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="45"/>
        <source>The speakers stopped working or could not be opened: you cannot hear the others.</source>
        <translation>Die Lautsprecher funktionieren nicht mehr oder ließen sich nicht öffnen: Sie hören die anderen nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/device_status.py" line="50"/>
        <source>A device does not work.</source>
        <translation>Ein Gerät funktioniert nicht.</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../client/ui/dialogs.py" line="106"/>
        <location filename="../../client/ui/dialogs.py" line="111"/>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
</context>
<context>
    <name>LeaveGuard</name>
    <message>
        <location filename="../../client/ui/leaving.py" line="43"/>
        <source>End the meeting?</source>
        <translation>Besprechung beenden?</translation>
    </message>
    <message>
        <location filename="../../client/ui/leaving.py" line="44"/>
        <source>End the meeting for everyone?</source>
        <translation>Die Besprechung für alle beenden?</translation>
    </message>
    <message>
        <location filename="../../client/ui/leaving.py" line="51"/>
        <source>This computer hosts the meeting: when you leave, the meeting ends and everyone in it is disconnected.</source>
        <translation>Dieser Computer veranstaltet die Besprechung: Wenn Sie gehen, endet sie, und alle Teilnehmenden werden getrennt.</translation>
    </message>
    <message>
        <location filename="../../client/ui/leaving.py" line="56"/>
        <source>End meeting for all</source>
        <translation>Besprechung für alle beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/leaving.py" line="58"/>
        <source>Stay in the meeting</source>
        <translation>In der Besprechung bleiben</translation>
    </message>
</context>
<context>
    <name>LinkBar</name>
    <message>
        <location filename="../../client/ui/link_bar.py" line="23"/>
        <source>Meeting link</source>
        <translation>Besprechungslink</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="24"/>
        <source>Copy &amp;link</source>
        <translation>&amp;Link kopieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="26"/>
        <source>Copy the meeting link</source>
        <translation>Den Besprechungslink kopieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="28"/>
        <source>Copy &amp;invitation</source>
        <translation>&amp;Einladung kopieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="30"/>
        <source>Copy an invitation text with the link</source>
        <translation>Einladungstext mit dem Link kopieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="44"/>
        <source>Link:</source>
        <translation>Link:</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="57"/>
        <source>Link copied</source>
        <translation>Link kopiert</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="62"/>
        <source>You are invited to a Runde meeting.

Join with the Runde app:
%1

The link contains the meeting&apos;s key: share it only with the people you invite.</source>
        <translation>Sie sind zu einer Runde-Besprechung eingeladen.

Treten Sie mit der Runde-App bei:
%1

Der Link enthält den Schlüssel der Besprechung: Geben Sie ihn nur an die eingeladenen Personen weiter.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="67"/>
        <source>Invitation copied</source>
        <translation>Einladung kopiert</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_bar.py" line="72"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>LinkCheck</name>
    <message>
        <location filename="../../client/ui/link_check.py" line="31"/>
        <source>This link cannot be used: %1</source>
        <translation>Dieser Link kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="37"/>
        <source>A meeting link begins with https:// or runde://.</source>
        <translation>Ein Besprechungslink beginnt mit https:// oder runde://.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="41"/>
        <source>The link contains spaces or line breaks: copy it again as a whole.</source>
        <translation>Der Link enthält Leerzeichen oder Zeilenumbrüche: Kopieren Sie ihn noch einmal vollständig.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="46"/>
        <source>The link contains characters that do not occur in links, such as umlauts.</source>
        <translation>Der Link enthält Zeichen, die in Links nicht vorkommen, etwa Umlaute.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="49"/>
        <source>The link is not readable text.</source>
        <translation>Der Link ist kein lesbarer Text.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="52"/>
        <source>The link is longer than %1 characters.</source>
        <translation>Der Link ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="54"/>
        <source>This is not a valid address (%1).</source>
        <translation>Das ist keine gültige Adresse (%1).</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="57"/>
        <source>The link must not contain a user name or password.</source>
        <translation>Der Link darf keinen Benutzernamen und kein Passwort enthalten.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="59"/>
        <source>The link names no server.</source>
        <translation>Der Link nennt keinen Server.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="62"/>
        <source>%1 is not a valid server name or IP address.</source>
        <translation>%1 ist kein gültiger Servername und keine gültige IP-Adresse.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="66"/>
        <source>The link has no port number (such as :8443 after the server name).</source>
        <translation>Im Link fehlt die Portnummer (etwa :8443 nach dem Servernamen).</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="68"/>
        <source>Port 0 is not a valid port.</source>
        <translation>Port 0 ist kein gültiger Port.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="71"/>
        <source>The link must not contain a query (“?…”).</source>
        <translation>Der Link darf keine Abfrage („?…“) enthalten.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="75"/>
        <source>After the server, the link must go on with %1 and the meeting room.</source>
        <translation>Nach dem Server muss der Link mit %1 und dem Besprechungsraum weitergehen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="79"/>
        <source>The link names no valid meeting room.</source>
        <translation>Der Link nennt keinen gültigen Besprechungsraum.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="84"/>
        <source>The link is incomplete: the part after “#” with the meeting&apos;s key is missing.</source>
        <translation>Der Link ist unvollständig: Der Teil nach „#“ mit dem Schlüssel der Besprechung fehlt.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="89"/>
        <source>After “#”, %1 is not of the form key=value.</source>
        <translation>Nach „#“ hat %1 nicht die Form Schlüssel=Wert.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="93"/>
        <source>The key %1 appears twice after “#”.</source>
        <translation>Der Schlüssel %1 steht nach „#“ zweimal.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="97"/>
        <source>After “#”, %1 is not a known key (k, fp and m are).</source>
        <translation>Nach „#“ ist %1 kein bekannter Schlüssel (bekannt sind k, fp und m).</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="101"/>
        <source>The link has no meeting key (k=).</source>
        <translation>Im Link fehlt der Besprechungsschlüssel (k=).</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="105"/>
        <source>The meeting key (k=) is damaged or too short to be safe.</source>
        <translation>Der Besprechungsschlüssel (k=) ist beschädigt oder zu kurz, um sicher zu sein.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="109"/>
        <source>The link has no certificate fingerprint (fp=).</source>
        <translation>Im Link fehlt der Zertifikat-Fingerabdruck (fp=).</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="113"/>
        <source>The certificate fingerprint (fp=) is damaged or incomplete.</source>
        <translation>Der Zertifikat-Fingerabdruck (fp=) ist beschädigt oder unvollständig.</translation>
    </message>
    <message>
        <location filename="../../client/ui/link_check.py" line="117"/>
        <source>The moderator key (m=) is damaged or too short to be safe.</source>
        <translation>Der Moderationsschlüssel (m=) ist beschädigt oder zu kurz, um sicher zu sein.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../client/ui/main_window.py" line="68"/>
        <source>Runde</source>
        <translation>Runde</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="149"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="150"/>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="170"/>
        <source>Your administrator has turned off hosting meetings.</source>
        <translation>Ihre Administration hat das Veranstalten von Besprechungen ausgeschaltet.</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="174"/>
        <source>Start a meeting: check your camera and microphone.</source>
        <translation>Besprechung starten: Prüfen Sie Kamera und Mikrofon.</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="189"/>
        <source>Join the meeting: check your camera and microphone.</source>
        <translation>Besprechung beitreten: Prüfen Sie Kamera und Mikrofon.</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="216"/>
        <source>Switch meetings?</source>
        <translation>Besprechung wechseln?</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="218"/>
        <source>You host this meeting: leaving ends it for everyone. End it and open the other meeting?</source>
        <translation>Sie leiten diese Besprechung: Wenn Sie sie verlassen, endet sie für alle. Beenden und die andere Besprechung öffnen?</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="222"/>
        <source>You are in a meeting. Leave it and open the other meeting?</source>
        <translation>Sie sind in einer Besprechung. Diese verlassen und die andere Besprechung öffnen?</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="249"/>
        <source>Your administrator allows meeting links only to %1; this link goes to %2.</source>
        <translation>Ihre Administration erlaubt Besprechungslinks nur zu %1; dieser Link führt zu %2.</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="310"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="312"/>
        <source>Reconnecting…</source>
        <translation>Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="318"/>
        <source>Could not join the meeting: %1</source>
        <translation>Beitritt zur Besprechung nicht möglich: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="394"/>
        <source>The TURN password was not saved: this computer has no password store Runde can use. It is used until Runde closes.</source>
        <translation>Das TURN-Passwort wurde nicht gespeichert: Dieser Computer hat keinen Passwortspeicher, den Runde nutzen kann. Es gilt, bis Runde beendet wird.</translation>
    </message>
    <message>
        <location filename="../../client/ui/main_window.py" line="407"/>
        <source>Your TURN server is not used: %1</source>
        <translation>Ihr TURN-Server wird nicht verwendet: %1</translation>
    </message>
</context>
<context>
    <name>MediaToggleButton</name>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="68"/>
        <source>Microphone: on</source>
        <translation>Mikrofon: an</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="68"/>
        <source>Microphone: off</source>
        <translation>Mikrofon: aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="69"/>
        <source>Microphone (%1)</source>
        <translation>Mikrofon (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="71"/>
        <source>Turn the microphone off (%1)</source>
        <translation>Mikrofon ausschalten (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="73"/>
        <source>Turn the microphone on (%1)</source>
        <translation>Mikrofon einschalten (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="76"/>
        <source>The microphone is on: the others hear you.</source>
        <translation>Das Mikrofon ist an: Die anderen hören Sie.</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="78"/>
        <source>The microphone is off: the others do not hear you.</source>
        <translation>Das Mikrofon ist aus: Die anderen hören Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="81"/>
        <source>Camera: on</source>
        <translation>Kamera: an</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="81"/>
        <source>Camera: off</source>
        <translation>Kamera: aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="82"/>
        <source>Camera (%1)</source>
        <translation>Kamera (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="84"/>
        <source>Turn the camera off (%1)</source>
        <translation>Kamera ausschalten (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="84"/>
        <source>Turn the camera on (%1)</source>
        <translation>Kamera einschalten (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="87"/>
        <source>The camera is on: the others see you.</source>
        <translation>Die Kamera ist an: Die anderen sehen Sie.</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="89"/>
        <source>The camera is off: the others do not see you.</source>
        <translation>Die Kamera ist aus: Die anderen sehen Sie nicht.</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="93"/>
        <source>Microphone: unavailable</source>
        <translation>Mikrofon: nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../../client/ui/media_buttons.py" line="93"/>
        <source>Camera: unavailable</source>
        <translation>Kamera: nicht verfügbar</translation>
    </message>
</context>
<context>
    <name>MeetingController</name>
    <message>
        <location filename="../../client/ui/controller.py" line="173"/>
        <source>You left the meeting.</source>
        <translation>Sie haben die Besprechung verlassen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="61"/>
        <source>A moderator&apos;s action was refused: %1</source>
        <translation>Eine Moderationsaktion wurde abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="67"/>
        <source>This meeting&apos;s server offers no chat, hands or reactions.</source>
        <translation>Der Server dieser Besprechung bietet keinen Chat, keine Handmeldungen und keine Reaktionen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="73"/>
        <source>Not sent: the connection to the meeting is interrupted.</source>
        <translation>Nicht gesendet: Die Verbindung zur Besprechung ist unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="220"/>
        <source>No sound output is open.</source>
        <translation>Keine Tonausgabe geöffnet.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="231"/>
        <source>Screen sharing is turned off on this computer.</source>
        <translation>Die Bildschirmfreigabe ist auf diesem Computer ausgeschaltet.</translation>
    </message>
    <message>
        <location filename="../../client/ui/own_screen_share.py" line="52"/>
        <source>no answer from the host</source>
        <translation>keine Antwort vom Gastgeber</translation>
    </message>
    <message>
        <location filename="../../client/ui/own_screen_share.py" line="55"/>
        <source>Your screen is not shared: %1</source>
        <translation>Ihr Bildschirm wird nicht freigegeben: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="298"/>
        <source>Hosting meetings is not available.</source>
        <translation>Besprechungen leiten ist nicht verfügbar.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="307"/>
        <source>Could not start the meeting: %1</source>
        <translation>Die Besprechung konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="318"/>
        <source>This meeting link cannot be used: %1</source>
        <translation>Dieser Besprechungslink ist nicht verwendbar: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="341"/>
        <source>the meeting host stopped answering while we joined</source>
        <translation>der Besprechungs-Host hat beim Beitritt nicht mehr geantwortet</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="33"/>
        <source>You are sending too fast; wait a moment and try again.</source>
        <translation>Sie senden zu schnell; warten Sie einen Moment und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="15"/>
        <source>You were removed from the meeting.</source>
        <translation>Sie wurden aus der Besprechung entfernt.</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="17"/>
        <source>Your audio and video could not reach the meeting host, so it gave up your place. A firewall may block them; your administrator can set up a TURN server.</source>
        <translation>Ihr Ton und Bild konnten den Besprechungsserver nicht erreichen, daher wurde Ihr Platz freigegeben. Eine Firewall blockiert sie womöglich; Ihre Administration kann einen TURN-Server einrichten.</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="23"/>
        <source>The connection to the meeting was lost and could not be restored.</source>
        <translation>Die Verbindung zur Besprechung ist abgebrochen und konnte nicht wiederhergestellt werden.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="428"/>
        <source>Waiting for a moderator to let you in…</source>
        <translation>Warten, bis die Moderation Sie hereinlässt…</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="39"/>
        <source>Microphones are locked: a moderator must allow you to speak.</source>
        <translation>Die Mikrofone sind gesperrt: Die Moderation muss Ihnen das Wort erteilen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/session_notices.py" line="43"/>
        <source>A moderator muted you.</source>
        <translation>Die Moderation hat Ihr Mikrofon stummgeschaltet.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="435"/>
        <source>A moderator asks you to turn your camera off.</source>
        <translation>Die Moderation bittet Sie, Ihre Kamera auszuschalten.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="82"/>
        <source>You are not connected to the meeting.</source>
        <translation>Sie sind nicht mit der Besprechung verbunden.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="86"/>
        <source>The message is empty.</source>
        <translation>Die Nachricht ist leer.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="88"/>
        <source>A message can have at most 4,000 characters.</source>
        <translation>Eine Nachricht darf höchstens 4.000 Zeichen haben.</translation>
    </message>
    <message>
        <location filename="../../client/ui/module_commands.py" line="92"/>
        <source>The person you are writing to has left the meeting.</source>
        <translation>Die Person, der Sie schreiben, hat die Besprechung verlassen.</translation>
    </message>
    <message>
        <location filename="../../client/ui/controller.py" line="452"/>
        <source>The connection was lost; reconnecting…</source>
        <translation>Die Verbindung ist abgebrochen; sie wird wiederhergestellt…</translation>
    </message>
</context>
<context>
    <name>MeetingModulesUi</name>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="44"/>
        <source>Show or hide the chat</source>
        <translation>Chat ein- oder ausblenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="46"/>
        <source>Raise or lower your hand</source>
        <translation>Hand heben oder senken</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="48"/>
        <source>React</source>
        <translation>Reagieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="168"/>
        <source>Participants (%1)</source>
        <translation>Teilnehmende (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="207"/>
        <source>Chat (%1)</source>
        <translation>Chat (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="209"/>
        <source>Chat, %1 unread (%2)</source>
        <translation>Chat, %1 ungelesen (%2)</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="212"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="217"/>
        <source>Lower hand</source>
        <translation>Hand senken</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_modules.py" line="217"/>
        <source>Raise hand</source>
        <translation>Hand heben</translation>
    </message>
</context>
<context>
    <name>MeetingView</name>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="80"/>
        <source>Connection state</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="86"/>
        <source>Participants&apos; video</source>
        <translation>Video der Teilnehmenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="113"/>
        <location filename="../../client/ui/meeting_view.py" line="136"/>
        <source>Participants</source>
        <translation>Teilnehmende</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="92"/>
        <source>Let several people share at once</source>
        <translation>Mehreren Personen das gleichzeitige Freigeben erlauben</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="95"/>
        <source>Let several people share their screen at once</source>
        <translation>Mehreren Personen erlauben, gleichzeitig ihren Bildschirm freizugeben</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="111"/>
        <location filename="../../client/ui/meeting_view.py" line="380"/>
        <source>Speaker layout</source>
        <translation>Sprecheransicht</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="116"/>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="119"/>
        <source>Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="122"/>
        <location filename="../../client/ui/meeting_view.py" line="261"/>
        <source>Share screen</source>
        <translation>Bildschirm freigeben</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="125"/>
        <location filename="../../client/ui/meeting_view.py" line="306"/>
        <source>Grid view</source>
        <translation>Rasteransicht</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="129"/>
        <source>Raise hand</source>
        <translation>Hand heben</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="131"/>
        <source>React</source>
        <translation>Reagieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="132"/>
        <location filename="../../client/ui/meeting_view.py" line="137"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="138"/>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="261"/>
        <source>Stop sharing</source>
        <translation>Freigabe beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="277"/>
        <source>Screen of %1</source>
        <translation>Bildschirm von %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="278"/>
        <source>Shared screen of %1</source>
        <translation>Freigegebener Bildschirm von %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="279"/>
        <source>Double-click or press Enter for full screen</source>
        <translation>Doppelklick oder Eingabetaste für Vollbild</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="306"/>
        <source>Presentation view</source>
        <translation>Präsentationsansicht</translation>
    </message>
    <message>
        <location filename="../../client/ui/meeting_view.py" line="380"/>
        <source>Grid layout</source>
        <translation>Kachelansicht</translation>
    </message>
</context>
<context>
    <name>ModerationPanel</name>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="53"/>
        <source>Moderation</source>
        <translation>Moderation</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="57"/>
        <location filename="../../client/ui/moderation_panel.py" line="63"/>
        <source>Waiting room</source>
        <translation>Warteraum</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="58"/>
        <source>Let in</source>
        <translation>Hereinlassen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="60"/>
        <source>Let everyone in</source>
        <translation>Alle hereinlassen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="62"/>
        <source>Turn away</source>
        <translation>Abweisen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="71"/>
        <source>Lock the meeting (nobody new comes in)</source>
        <translation>Besprechung abschließen (niemand Neues kommt herein)</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="73"/>
        <source>Newcomers wait until let in</source>
        <translation>Neue warten, bis sie hereingelassen werden</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="77"/>
        <source>Only people you allow may unmute</source>
        <translation>Nur wem Sie es erlauben, darf das Mikrofon einschalten</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="81"/>
        <source>This meeting</source>
        <translation>Diese Besprechung</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="87"/>
        <source>Participants to moderate</source>
        <translation>Teilnehmende zum Moderieren</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="88"/>
        <source>Mute</source>
        <translation>Stummschalten</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="90"/>
        <source>Mute everyone</source>
        <translation>Alle stummschalten</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="92"/>
        <source>Allow to speak</source>
        <translation>Sprechen erlauben</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="93"/>
        <location filename="../../client/ui/moderation_panel.py" line="222"/>
        <source>Make moderator</source>
        <translation>Zur Moderation machen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="94"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="95"/>
        <source>More actions…</source>
        <translation>Weitere Aktionen…</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="96"/>
        <source>Actions for the chosen person</source>
        <translation>Aktionen für die gewählte Person</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="98"/>
        <source>Lower all hands</source>
        <translation>Alle Hände senken</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="100"/>
        <source>Participants</source>
        <translation>Teilnehmende</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="114"/>
        <source>New participant link</source>
        <translation>Neuer Teilnahmelink</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="117"/>
        <source>End meeting for everyone</source>
        <translation>Besprechung für alle beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="182"/>
        <source>moderator</source>
        <translation>Moderation</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="183"/>
        <source>microphone on</source>
        <translation>Mikrofon an</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="183"/>
        <source>muted</source>
        <translation>stummgeschaltet</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="185"/>
        <source>may speak</source>
        <translation>darf sprechen</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_panel.py" line="222"/>
        <source>Make participant</source>
        <translation>Zu Teilnehmenden machen</translation>
    </message>
</context>
<context>
    <name>ModerationUi</name>
    <message>
        <location filename="../../client/ui/moderation_ui.py" line="63"/>
        <source>Moderation</source>
        <translation>Moderation</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_ui.py" line="32"/>
        <source>Moderation: go to the panel, or hide it</source>
        <translation>Moderation: zum Bereich wechseln oder ihn ausblenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/moderation_ui.py" line="75"/>
        <source>Waiting to be let in: %1</source>
        <translation>Wartet auf Einlass: %1</translation>
    </message>
</context>
<context>
    <name>ParticipantList</name>
    <message>
        <location filename="../../client/ui/participant_list.py" line="20"/>
        <source>Participants</source>
        <translation>Teilnehmende</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_list.py" line="64"/>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_list.py" line="74"/>
        <source>%1, hand raised (%2)</source>
        <translation>%1, Hand gehoben (%2)</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_list.py" line="85"/>
        <source>muted</source>
        <translation>stummgeschaltet</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_list.py" line="87"/>
        <source>camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_list.py" line="89"/>
        <source>moderator</source>
        <translation>Moderation</translation>
    </message>
</context>
<context>
    <name>ParticipantNotices</name>
    <message>
        <location filename="../../client/ui/participant_notices.py" line="85"/>
        <source>%1 joined</source>
        <translation>%1 ist beigetreten</translation>
    </message>
    <message>
        <location filename="../../client/ui/participant_notices.py" line="88"/>
        <source>%1 left</source>
        <translation>%1 hat die Besprechung verlassen</translation>
    </message>
</context>
<context>
    <name>PersonMenu</name>
    <message>
        <location filename="../../client/ui/person_menu.py" line="42"/>
        <source>Actions for %1</source>
        <translation>Aktionen für %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="54"/>
        <source>Mute</source>
        <translation>Stummschalten</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="61"/>
        <source>Take back the permission to speak</source>
        <translation>Rederecht zurücknehmen</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="63"/>
        <source>Allow to speak</source>
        <translation>Rederecht geben</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="67"/>
        <source>Ask to turn the camera off</source>
        <translation>Bitten, die Kamera auszuschalten</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="72"/>
        <source>Stop their screen share</source>
        <translation>Bildschirmfreigabe beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="75"/>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="80"/>
        <source>Make participant</source>
        <translation>Zu Teilnehmenden machen</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="82"/>
        <source>Make moderator</source>
        <translation>Zur Moderation machen</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="90"/>
        <source>Remove from the meeting</source>
        <translation>Aus der Besprechung entfernen</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="99"/>
        <source>Rename %1</source>
        <translation>%1 umbenennen</translation>
    </message>
    <message>
        <location filename="../../client/ui/person_menu.py" line="101"/>
        <source>New name:</source>
        <translation>Neuer Name:</translation>
    </message>
</context>
<context>
    <name>PinButton</name>
    <message>
        <location filename="../../client/ui/tile_pin.py" line="22"/>
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <location filename="../../client/ui/tile_pin.py" line="23"/>
        <source>Unpin %1</source>
        <translation>%1 lösen</translation>
    </message>
    <message>
        <location filename="../../client/ui/tile_pin.py" line="25"/>
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <location filename="../../client/ui/tile_pin.py" line="26"/>
        <source>Pin %1</source>
        <translation>%1 anheften</translation>
    </message>
</context>
<context>
    <name>PreJoinView</name>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="44"/>
        <location filename="../../client/ui/prejoin_view.py" line="230"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="45"/>
        <source>Camera preview</source>
        <translation>Kameravorschau</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="53"/>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="56"/>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="58"/>
        <source>How others see you</source>
        <translation>So sehen andere Sie</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="68"/>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="70"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="72"/>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="76"/>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="81"/>
        <source>&amp;Join now</source>
        <translation>Jetzt &amp;beitreten</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="84"/>
        <source>Join the meeting now</source>
        <translation>Der Besprechung jetzt beitreten</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="86"/>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="87"/>
        <source>Back to the start</source>
        <translation>Zurück zum Start</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="90"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="93"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="94"/>
        <source>&amp;Camera:</source>
        <translation>&amp;Kamera:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="95"/>
        <source>Back&amp;ground:</source>
        <translation>&amp;Hintergrund:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="96"/>
        <source>&amp;Microphone:</source>
        <translation>&amp;Mikrofon:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="97"/>
        <source>Micro&amp;phone level:</source>
        <translation>Mikro&amp;fonpegel:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="98"/>
        <source>&amp;Speaker:</source>
        <translation>&amp;Lautsprecher:</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="143"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../../client/ui/prejoin_view.py" line="165"/>
        <location filename="../../client/ui/prejoin_view.py" line="187"/>
        <source>Set by your administrator</source>
        <translation>Von Ihrer Administration festgelegt</translation>
    </message>
</context>
<context>
    <name>ReactionMenu</name>
    <message>
        <location filename="../../client/ui/reactions.py" line="98"/>
        <location filename="../../client/ui/reactions.py" line="99"/>
        <source>Reactions</source>
        <translation>Reaktionen</translation>
    </message>
</context>
<context>
    <name>Reactions</name>
    <message>
        <location filename="../../client/ui/reactions.py" line="68"/>
        <source>Thumbs up</source>
        <translation>Daumen hoch</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="69"/>
        <source>Thumbs down</source>
        <translation>Daumen runter</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="70"/>
        <source>Heart</source>
        <translation>Herz</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="71"/>
        <source>Laughing</source>
        <translation>Lachen</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="72"/>
        <source>Touched</source>
        <translation>Gerührt</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="73"/>
        <source>Surprised</source>
        <translation>Überrascht</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="74"/>
        <source>Celebrate</source>
        <translation>Feiern</translation>
    </message>
    <message>
        <location filename="../../client/ui/reactions.py" line="75"/>
        <source>Applause</source>
        <translation>Applaus</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <location filename="../../client/ui/refusals.py" line="68"/>
        <source>the host ended the meeting</source>
        <translation>der Gastgeber hat die Besprechung beendet</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="71"/>
        <source>the meeting host shut down</source>
        <translation>der Besprechungsserver wurde beendet</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="18"/>
        <source>the meeting is locked; a moderator can unlock it</source>
        <translation>die Besprechung ist gesperrt; eine Moderatorin oder ein Moderator kann sie entsperren</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="22"/>
        <source>the meeting is full</source>
        <translation>die Besprechung ist voll</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="24"/>
        <source>the meeting host does not know this link: it is mistyped, was renewed, or the meeting has ended</source>
        <translation>der Besprechungsserver kennt diesen Link nicht: er ist falsch eingegeben, wurde erneuert, oder die Besprechung ist beendet</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="30"/>
        <source>a moderator removed you from this meeting</source>
        <translation>die Moderation hat Sie aus dieser Besprechung entfernt</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="34"/>
        <source>the meeting host runs a Runde version that does not fit this one</source>
        <translation>der Besprechungsserver verwendet eine Runde-Version, die nicht zu dieser passt</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="38"/>
        <source>too many attempts; try again in a minute</source>
        <translation>zu viele Versuche; bitte in einer Minute erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="49"/>
        <source>only moderators can do that</source>
        <translation>das darf nur die Moderation</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="51"/>
        <source>that person is no longer there, or is not doing that anymore</source>
        <translation>diese Person ist nicht mehr da oder tut das nicht mehr</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="55"/>
        <source>too many actions at once; try again in a moment</source>
        <translation>zu viele Aktionen auf einmal; bitte gleich erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../client/ui/refusals.py" line="59"/>
        <source>you are not connected to the meeting</source>
        <translation>Sie sind nicht mit der Besprechung verbunden</translation>
    </message>
</context>
<context>
    <name>ScreenPicker</name>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="67"/>
        <source>Share your screen</source>
        <translation>Bildschirm freigeben</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="74"/>
        <source>Choose a screen or a window. Others see it until you stop.</source>
        <translation>Wählen Sie einen Bildschirm oder ein Fenster. Die anderen sehen es, bis Sie die Freigabe beenden.</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="77"/>
        <source>Screens and windows to share</source>
        <translation>Bildschirme und Fenster zur Freigabe</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="92"/>
        <source>&amp;Share</source>
        <translation>&amp;Freigeben</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="93"/>
        <source>Share the chosen screen or window</source>
        <translation>Den gewählten Bildschirm oder das gewählte Fenster freigeben</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="95"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="149"/>
        <source>Screen sharing is not available in a Wayland session yet: Runde would only send a black picture. Sign in with an X11 session (often called &apos;on Xorg&apos; on the login screen) to share your screen.</source>
        <translation>Die Bildschirmfreigabe ist in einer Wayland-Sitzung noch nicht möglich: Runde würde nur ein schwarzes Bild senden. Melden Sie sich mit einer X11-Sitzung an (auf dem Anmeldebildschirm oft „mit Xorg“ genannt), um Ihren Bildschirm freizugeben.</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="154"/>
        <source>There is no display to share.</source>
        <translation>Es gibt keine Anzeige, die freigegeben werden kann.</translation>
    </message>
    <message>
        <location filename="../../client/ui/screen_picker.py" line="159"/>
        <source>Whole screen: %1</source>
        <translation>Ganzer Bildschirm: %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../client/ui/dialogs.py" line="159"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="162"/>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="164"/>
        <source>Camera resolution</source>
        <translation>Kamera-Auflösung</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="169"/>
        <source>Send a smaller picture while the computer is &amp;busy</source>
        <translation>&amp;Kleineres Bild senden, wenn der Computer ausgelastet ist</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="172"/>
        <source>Play a &amp;sound with notifications</source>
        <translation>Bei Benachrichtigungen einen T&amp;on abspielen</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="176"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="177"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="183"/>
        <source>TURN server</source>
        <translation>TURN-Server</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="186"/>
        <source>TURN user name</source>
        <translation>TURN-Benutzername</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="189"/>
        <source>TURN password</source>
        <translation>TURN-Passwort</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="190"/>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="191"/>
        <source>Set by your administrator</source>
        <translation>Von Ihrer Administration festgelegt</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="201"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="202"/>
        <source>Camera &amp;resolution:</source>
        <translation>Kamera-&amp;Auflösung:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="205"/>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="206"/>
        <source>&amp;TURN server:</source>
        <translation>&amp;TURN-Server:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="207"/>
        <source>TURN &amp;user:</source>
        <translation>TURN-&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="208"/>
        <source>TURN &amp;password:</source>
        <translation>TURN-&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="209"/>
        <source>A new language applies after Runde restarts.</source>
        <translation>Eine neue Sprache gilt nach dem Neustart von Runde.</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="216"/>
        <source>This computer has no password store Runde can use: a TURN password is not saved and must be typed again after Runde restarts.</source>
        <translation>Dieser Computer hat keinen Passwortspeicher, den Runde nutzen kann: Ein TURN-Passwort wird nicht gespeichert und muss nach einem Neustart von Runde erneut eingegeben werden.</translation>
    </message>
</context>
<context>
    <name>SharingIndicator</name>
    <message>
        <location filename="../../client/ui/sharing_indicator.py" line="56"/>
        <location filename="../../client/ui/sharing_indicator.py" line="57"/>
        <source>You are sharing your screen</source>
        <translation>Sie geben Ihren Bildschirm frei</translation>
    </message>
    <message>
        <location filename="../../client/ui/sharing_indicator.py" line="64"/>
        <source>Sharing state</source>
        <translation>Freigabestatus</translation>
    </message>
    <message>
        <location filename="../../client/ui/sharing_indicator.py" line="65"/>
        <source>&amp;Stop sharing</source>
        <translation>Freigabe &amp;beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/sharing_indicator.py" line="66"/>
        <source>Stop sharing your screen</source>
        <translation>Die Freigabe Ihres Bildschirms beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/sharing_indicator.py" line="82"/>
        <source>You are sharing: %1</source>
        <translation>Sie geben frei: %1</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../client/ui/dialogs.py" line="52"/>
        <source>Start a meeting</source>
        <translation>Besprechung starten</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="53"/>
        <source>Microphone on/off</source>
        <translation>Mikrofon an/aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="54"/>
        <source>Camera on/off</source>
        <translation>Kamera an/aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="55"/>
        <source>Grid or speaker layout</source>
        <translation>Kachel- oder Sprecheransicht</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="56"/>
        <source>Share your screen or stop sharing</source>
        <translation>Bildschirm freigeben oder Freigabe beenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="57"/>
        <source>Shared screen large or the grid</source>
        <translation>Freigegebener Bildschirm groß oder Raster</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="58"/>
        <source>Pin the focused tile</source>
        <translation>Die ausgewählte Kachel anheften</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="59"/>
        <source>Show or hide the participant list</source>
        <translation>Teilnehmendenliste ein- oder ausblenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="60"/>
        <source>Show or hide the chat</source>
        <translation>Chat ein- oder ausblenden</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="61"/>
        <source>Raise or lower your hand</source>
        <translation>Hand heben oder senken</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="62"/>
        <source>React (thumbs up, applause …)</source>
        <translation>Reagieren (Daumen hoch, Applaus …)</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="63"/>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="64"/>
        <source>Leave the meeting</source>
        <translation>Die Besprechung verlassen</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="65"/>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="66"/>
        <source>This list</source>
        <translation>Diese Liste</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../client/ui/dialogs.py" line="75"/>
        <location filename="../../client/ui/dialogs.py" line="78"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="79"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location filename="../../client/ui/dialogs.py" line="79"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../../client/ui/side_panel.py" line="25"/>
        <source>Side panel</source>
        <translation>Seitenleiste</translation>
    </message>
    <message>
        <location filename="../../client/ui/side_panel.py" line="30"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../client/ui/side_panel.py" line="31"/>
        <location filename="../../client/ui/side_panel.py" line="32"/>
        <source>Close the side panel</source>
        <translation>Seitenleiste schließen</translation>
    </message>
</context>
<context>
    <name>StartView</name>
    <message>
        <location filename="../../client/ui/start_view.py" line="33"/>
        <source>Runde</source>
        <translation>Runde</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="39"/>
        <source>Meetings on your own infrastructure.</source>
        <translation>Besprechungen auf Ihrer eigenen Infrastruktur.</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="42"/>
        <source>&amp;Start meeting</source>
        <translation>Besprechung &amp;starten</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="43"/>
        <source>Host a meeting from this computer (Ctrl+N)</source>
        <translation>Eine Besprechung von diesem Computer aus leiten (Strg+N)</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="49"/>
        <source>Paste a meeting link</source>
        <translation>Besprechungslink einfügen</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="50"/>
        <source>Meeting link</source>
        <translation>Besprechungslink</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="53"/>
        <source>Meeting &amp;link:</source>
        <translation>Besprechungs&amp;link:</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="55"/>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="56"/>
        <source>Join the meeting behind the link</source>
        <translation>Der Besprechung hinter dem Link beitreten</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="62"/>
        <source>What is wrong with the link</source>
        <translation>Was am Link nicht stimmt</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="65"/>
        <source>Se&amp;ttings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="66"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="70"/>
        <source>Administrator policy</source>
        <translation>Richtlinie der Administration</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="72"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="99"/>
        <source>Set by your administrator</source>
        <translation>Von Ihrer Administration festgelegt</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="106"/>
        <source>The administrator policy in %1 cannot be used: %2. Until it is fixed, Runde neither joins nor hosts meetings.</source>
        <translation>Die Richtlinie der Administration in %1 ist nicht verwendbar: %2. Bis sie korrigiert ist, nimmt Runde weder an Besprechungen teil noch veranstaltet es welche.</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="113"/>
        <source>Your administrator has turned off hosting meetings.</source>
        <translation>Ihre Administration hat das Veranstalten von Besprechungen ausgeschaltet.</translation>
    </message>
    <message>
        <location filename="../../client/ui/start_view.py" line="126"/>
        <source>Paste a meeting link from %1</source>
        <translation>Besprechungslink von %1 einfügen</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../client/ui/video_tile.py" line="154"/>
        <source>speaking</source>
        <translation>spricht</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="137"/>
        <location filename="../../client/ui/video_tile.py" line="157"/>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="139"/>
        <source>microphone off</source>
        <translation>Mikrofon aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="141"/>
        <source>camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="145"/>
        <source>pinned</source>
        <translation>angeheftet</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="147"/>
        <source>hand raised (%1)</source>
        <translation>Hand gehoben (%1)</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="150"/>
        <source>reaction: %1</source>
        <translation>Reaktion: %1</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="156"/>
        <source>Double-click or press Enter to pin</source>
        <translation>Doppelklick oder Eingabetaste zum Anheften</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="224"/>
        <source>Your video is paused: your connection is too weak</source>
        <translation>Ihr Video ist angehalten: Ihre Verbindung ist zu schwach</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="225"/>
        <source>Video paused: connection too weak</source>
        <translation>Video angehalten: Verbindung zu schwach</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="243"/>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="245"/>
        <source>%1 · muted</source>
        <translation>%1 · stumm</translation>
    </message>
    <message>
        <location filename="../../client/ui/video_tile.py" line="247"/>
        <source>%1 · pinned</source>
        <translation>%1 · angeheftet</translation>
    </message>
</context>
</TS>
